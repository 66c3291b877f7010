#!/usr/bin/env node
// Plays one Starmine Rush run in headless Chromium, like a player on a phone.
//
//   GAME_URL=http://127.0.0.1:8080/game/?token=... SCREENSHOT_DIR=/tmp/shots node tests/browser/play_game.mjs
//
// Environment:
//   GAME_URL        the game page, with its ?token=... (required)
//   SCREENSHOT_DIR  where the PNGs go (required; created if missing)
//   BUY_ITEM        optional item id: open the shop, tap Buy on it, print the invoice link
//                   (stderr line "INVOICE_LINK <link>", also written to SCREENSHOT_DIR/invoice_link.txt),
//                   then wait up to 60 s for the page to show the order as paid (someone else pays it),
//                   and only then play.
//   CHOOSE_SKIN     optional skin name: tap the skin pill on the home screen until it shows this
//                   skin (the player must own more than one), then play in it
//   CHROMIUM        browser binary (default /usr/bin/chromium; never downloaded)
//   TIMEOUT_MS      overall limit (default 180000)
//
// Output: one JSON line on stdout
//   {"score":N,"best":N,"gems_awarded":N,"screenshots":[...],"invoice_link":"..."|null, ...}
// and exit 0; on any failure the reason goes to stderr and the exit code is 1.

import fs from 'node:fs';
import path from 'node:path';
import { driver, tid } from './chromium.mjs';

const GAME_URL = process.env.GAME_URL;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const BUY_ITEM = process.env.BUY_ITEM || '';
const CHOOSE_SKIN = (process.env.CHOOSE_SKIN || '').toLowerCase();
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 180_000);
const PAY_WAIT_MS = 60_000;
const STEP_MS = 20_000;

const { log, launch, succeed, run } = driver('play_game', 'play_game failed', TIMEOUT_MS);


async function main() {
  if (!GAME_URL) throw new Error('GAME_URL is not set');
  if (!SCREENSHOT_DIR) throw new Error('SCREENSHOT_DIR is not set');
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const shots = [];
  const shot = async (page, name) => {
    const file = path.resolve(SCREENSHOT_DIR, name);
    await page.screenshot({ path: file, animations: 'allow' });
    shots.push(file);
    log(`screenshot ${file}`);
  };

  const browser = await launch();
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);

  const pageErrors = [];
  page.on('pageerror', (err) => {
    pageErrors.push(String(err && err.stack ? err.stack : err));
    log(`page error: ${err}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') log(`console error: ${msg.text()}`);
  });
  // Nothing outside the game's own origin is needed; refuse it so a stray request can't hang.
  const origin = new URL(GAME_URL).origin;
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    log(`blocked outside request ${u}`);
    return route.abort();
  });
  const checkErrors = () => {
    if (pageErrors.length) throw new Error(`the page threw: ${pageErrors[0]}`);
  };

  // Fail fast with the page's own words when it shows an error or the expired screen.
  const waitVisibleOrError = async (selector, timeout = STEP_MS) => {
    const target = page.locator(selector).first();
    const error = page.locator(tid('error'));
    const expired = page.locator(`${tid('expired')}.active`);
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      checkErrors();
      if (await expired.isVisible()) throw new Error('the page says the game link has expired (401)');
      if (await error.isVisible()) throw new Error(`the page shows an error: ${(await error.textContent()).trim()}`);
      try {
        await target.waitFor({ state: 'visible', timeout: 250 });
        return target;
      } catch {
        /* keep waiting */
      }
    }
    throw new Error(`timed out waiting for ${selector}`);
  };

  // 1. Home
  log(`opening ${GAME_URL.replace(/token=[^&#]+/, 'token=…')}`);
  const resp = await page.goto(GAME_URL, { waitUntil: 'domcontentloaded' });
  if (!resp || !resp.ok()) throw new Error(`the game page answered HTTP ${resp ? resp.status() : 'nothing'}`);
  await waitVisibleOrError(`${tid('play')}:not([disabled])`);
  await page.waitForFunction(() => document.fonts.status === 'loaded');
  await shot(page, '01-home.png');

  // 1b. Optional: switch skins with the pill
  if (CHOOSE_SKIN) {
    const pill = page.locator(tid('skin'));
    const shown = async () => ((await page.locator('#skin-name').textContent()) || '').toLowerCase();
    for (let tries = 0; tries < 5 && !(await shown()).startsWith(CHOOSE_SKIN); tries++) {
      const before = await shown();
      await pill.click();
      await page.waitForFunction((prev) => document.querySelector('#skin-name').textContent.toLowerCase() !== prev, before);
    }
    if (!(await shown()).startsWith(CHOOSE_SKIN)) throw new Error(`the skin pill never showed ${CHOOSE_SKIN}: "${await shown()}"`);
    log(`skin chosen: ${await shown()}`);
    await shot(page, '01b-skin.png');
  }

  // 2. Optional purchase
  let invoiceLink = null;
  if (BUY_ITEM) {
    await page.locator(tid('shop')).click();
    const buyBtn = await waitVisibleOrError(`${tid(`buy-${BUY_ITEM}`)}`);
    if (await buyBtn.isDisabled()) throw new Error(`the Buy button for ${BUY_ITEM} is disabled (owned or sold out)`);
    const buyResp = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/buy');
    await buyBtn.click();
    const r = await buyResp;
    const body = await r.json().catch(() => null);
    if (!r.ok() || !body || !body.invoice_link) throw new Error(`POST /api/buy failed: HTTP ${r.status()} ${JSON.stringify(body)}`);
    invoiceLink = body.invoice_link;
    fs.writeFileSync(path.join(SCREENSHOT_DIR, 'invoice_link.txt'), invoiceLink + '\n');
    process.stderr.write(`INVOICE_LINK ${invoiceLink}\n`);
    await waitVisibleOrError(tid('pay-link'));
    const shown = await page.locator(tid('pay-link')).getAttribute('data-link');
    if (shown !== invoiceLink) throw new Error(`pay-link shows ${shown}, the API gave ${invoiceLink}`);
    await shot(page, '02-shop-invoice.png');
    log(`waiting up to ${PAY_WAIT_MS / 1000} s for the order to be paid`);
    const status = page.locator(tid('order-status'));
    const payDeadline = Date.now() + PAY_WAIT_MS;
    for (;;) {
      checkErrors();
      const st = await status.getAttribute('data-status');
      if (st === 'paid') break;
      if (st === 'expired' || st === 'refunded' || st === 'error') {
        throw new Error(`order ended as ${st}: ${(await status.textContent()).trim()}`);
      }
      if (Date.now() > payDeadline) throw new Error(`order not paid within ${PAY_WAIT_MS / 1000} s (status ${st})`);
      await page.waitForFunction(
        (prev) => document.querySelector('[data-testid="order-status"]').dataset.status !== prev,
        st,
        { timeout: Math.max(100, Math.min(2000, payDeadline - Date.now())) },
      ).catch(() => {});
    }
    // the page reloads /api/me and /api/shop after "paid"
    await page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me', { timeout: STEP_MS }).catch(() => {});
    await shot(page, '03-shop-paid.png');
    await page.locator(tid('back')).click();
    await waitVisibleOrError(`${tid('play')}:not([disabled])`);
    await page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me', { timeout: STEP_MS }).catch(() => {});
  }

  // 3. Play one whole run
  const runResp = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/runs');
  await page.locator(tid('play')).click();
  const rr = await runResp;
  const run = await rr.json().catch(() => null);
  if (!rr.ok() || !run || !run.run_id) throw new Error(`POST /api/runs failed: HTTP ${rr.status()} ${JSON.stringify(run)}`);
  log(`run ${run.run_id}: ${run.seconds} s, max_score ${run.max_score}, ×${run.score_multiplier}, skin ${run.skin}`);
  const finishResp = page.waitForResponse(
    (r) => r.request().method() === 'POST' && /^\/api\/runs\/[^/]+\/finish$/.test(new URL(r.url()).pathname),
    { timeout: (Number(run.seconds) || 30) * 1000 + 60_000 },
  );
  finishResp.catch(() => {});
  await page.waitForFunction(() => window.starmineRush && window.starmineRush.state().screen === 'playing');
  const board = page.locator(tid('board'));
  await board.waitFor({ state: 'visible' });

  const runLimit = Date.now() + (Number(run.seconds) || 30) * 1000 + 30_000;
  let midShot = false;
  let taps = 0;
  for (;;) {
    checkErrors();
    if (Date.now() > runLimit) throw new Error('the run did not end in time');
    const st = await page.evaluate(() => window.starmineRush.state());
    if (st.screen !== 'playing' || st.phase === 'over') break;
    if (!midShot && st.phase === 'playing' && st.timeLeftMs <= st.durationMs / 2 && st.score > 0) {
      // For a telling picture: let a few ores show up, mine one, and shoot while it shatters.
      midShot = true;
      await page
        .waitForFunction(() => window.starmineRush.state().ores.length >= 3, null, { timeout: 1200, polling: 'raf' })
        .catch(() => {});
      const s2 = await page.evaluate(() => window.starmineRush.state());
      const pick = s2.ores.filter((o) => o.value > 0).sort((a, b) => b.value - a.value)[0];
      if (pick) {
        const box = await board.boundingBox();
        await page.touchscreen.tap(box.x + pick.x, box.y + pick.y);
        taps++;
      }
      await shot(page, '04-playing.png');
      continue;
    }
    const ores = st.ores.filter((o) => o.value > 0 && o.msLeft > 120);
    if (!ores.length) {
      await page
        .waitForFunction(
          () => {
            const s = window.starmineRush.state();
            return s.screen !== 'playing' || s.phase === 'over' || s.ores.some((o) => o.value > 0);
          },
          null,
          { timeout: 3000, polling: 'raf' },
        )
        .catch(() => {});
      continue;
    }
    // the richest ore first, then the one about to crumble
    ores.sort((a, b) => b.value - a.value || a.msLeft - b.msLeft);
    const target = ores[0];
    const box = await board.boundingBox();
    // The run can end (and the board hide) between reading the state and measuring the board:
    // look at the state again, which ends the loop when the run is over.
    if (!box) continue;
    await page.touchscreen.tap(box.x + target.x, box.y + target.y);
    taps++;
  }
  if (!midShot) await shot(page, '04-playing.png');
  log(`run over after ${taps} taps`);

  // 4. Results
  const fr = await finishResp;
  const result = await fr.json().catch(() => null);
  if (!fr.ok() || !result) throw new Error(`finishing the run failed: HTTP ${fr.status()} ${JSON.stringify(result)}`);
  await waitVisibleOrError(`${tid('results')}[data-state="saved"] ${tid('final-score')}`, 30_000).catch(async (e) => {
    const state = await page.locator(tid('results')).getAttribute('data-state').catch(() => null);
    throw new Error(`${e.message} (results state ${state})`);
  });
  await page.locator(tid('play-again')).waitFor({ state: 'visible' });
  const shown = Number((await page.locator(tid('final-score')).textContent()).replace(/[^0-9]/g, ''));
  if (shown !== result.score) throw new Error(`results show ${shown}, the server answered ${result.score}`);
  const finalState = await page.evaluate(() => window.starmineRush.state());
  if (finalState.score !== result.score) throw new Error(`the page scored ${finalState.score}, the server stored ${result.score}`);
  // let the "new best" badge land before the picture
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming?.().iterations === Infinity), null, { timeout: 3000 }).catch(() => {});
  await shot(page, '05-results.png');
  checkErrors();

  const out = {
    score: result.score,
    best: result.best,
    gems_awarded: result.gems_awarded,
    new_best: Boolean(result.new_best),
    rank: result.rank ?? null,
    mined: finalState.mined,
    run: { run_id: run.run_id, seconds: run.seconds, max_score: run.max_score, score_multiplier: run.score_multiplier, skin: run.skin },
    screenshots: shots,
    invoice_link: invoiceLink,
  };
  await succeed(out);
}

run(main);
