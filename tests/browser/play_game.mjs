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
//   RECEIPT         optional text the order box must show once BUY_ITEM is paid (the one message
//                   of a purchase: no toast may show beside it)
//   EXPECT_DISABLED optional `item:Label,item:Label`: in the shop these items' Buy buttons must be
//                   disabled and read Label, with a reason shown on the card
//   START_BOOST     optional item id: back home, the boost must show with a Start button; tap it,
//                   then it must show as running with its time left, before the run
//   CHOOSE_SKIN     optional skin name: tap the skin pill on the home screen until it shows this
//                   skin (the player must own more than one), then play in it
//   DESKTOP         optional `WxH` (e.g. 1280x800): at the end, open the game again in a desktop-
//                   sized window and screenshot home and shop
//   CHROMIUM        browser binary (default /usr/bin/chromium; never downloaded)
//   TIMEOUT_MS      overall limit (default 180000)
//
// Output: one JSON line on stdout
//   {"score":N,"best":N,"gems_awarded":N,"screenshots":[...],"invoice_link":"..."|null,
//    "receipt":"..."|null,"disabled":[{"id","label","why"}],"started":{...}|null, ...}
// and exit 0; on any failure the reason goes to stderr and the exit code is 1.

import fs from 'node:fs';
import path from 'node:path';
import { driver, tid } from './chromium.mjs';

const GAME_URL = process.env.GAME_URL;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const BUY_ITEM = process.env.BUY_ITEM || '';
const CHOOSE_SKIN = (process.env.CHOOSE_SKIN || '').toLowerCase();
const RECEIPT = process.env.RECEIPT || '';
const EXPECT_DISABLED = (process.env.EXPECT_DISABLED || '')
  .split(',')
  .filter(Boolean)
  .map((pair) => pair.split(':'));
const START_BOOST = process.env.START_BOOST || '';
const DESKTOP = (process.env.DESKTOP || '').split('x').map(Number);
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 180_000);
const PAY_WAIT_MS = 60_000;
const STEP_MS = 20_000;

const { log, launch, succeed, run } = driver('play_game', 'play_game failed', TIMEOUT_MS);


async function main() {
  if (!GAME_URL) throw new Error('GAME_URL is not set');
  if (!SCREENSHOT_DIR) throw new Error('SCREENSHOT_DIR is not set');
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const shots = [];
  const shot = async (page, name, fullPage = false) => {
    const file = path.resolve(SCREENSHOT_DIR, name);
    await page.screenshot({ path: file, animations: 'allow', fullPage });
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

  // No error toast and no second notice: a purchase ends with one message, in the order box.
  const assertNoToast = async (when) => {
    for (const id of ['error', 'notice']) {
      const toast = page.locator(tid(id));
      if (await toast.isVisible()) throw new Error(`${when} a toast shows too: "${(await toast.textContent()).trim()}"`);
    }
  };

  // 2. Optional purchase
  let invoiceLink = null;
  let receipt = null;
  let started = null;
  const disabled = [];
  if (BUY_ITEM) {
    // An earlier step's notice ("Classic skin on") fades first, so any toast seen after the
    // purchase is the purchase's own.
    await page.locator(tid('notice')).waitFor({ state: 'hidden', timeout: 6000 });
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
    receipt = ((await status.textContent()) || '').trim();
    if (RECEIPT && receipt !== RECEIPT) throw new Error(`the order box says "${receipt}", expected "${RECEIPT}"`);
    await assertNoToast('after the purchase');
    await shot(page, '03-shop-paid.png');
  }

  // 2b. Optional: items this player can't buy show Buy off, with the reason
  if (EXPECT_DISABLED.length) {
    if (!(await page.locator(`${tid('shop-screen')}.active`).isVisible())) await page.locator(tid('shop')).click();
    for (const [id, label] of EXPECT_DISABLED) {
      const btn = await waitVisibleOrError(`${tid(`buy-${id}`)}:disabled`);
      const shown = ((await btn.textContent()) || '').trim();
      if (shown !== label) throw new Error(`Buy for ${id} reads "${shown}", expected "${label}"`);
      const why = ((await page.locator(tid(`why-${id}`)).textContent()) || '').trim();
      if (!why) throw new Error(`no reason shown for ${id}`);
      disabled.push({ id, label: shown, why });
      log(`${id}: Buy off, "${shown}" — ${why}`);
    }
    const [lastId] = EXPECT_DISABLED[EXPECT_DISABLED.length - 1];
    await page.locator(tid(`buy-${lastId}`)).evaluate((b) => b.closest('li').scrollIntoView({ block: 'center' }));
    await shot(page, '03b-shop-unavailable.png');
  }
  if (await page.locator(`${tid('shop-screen')}.active`).isVisible()) {
    await page.locator(tid('back')).click();
    await waitVisibleOrError(`${tid('play')}:not([disabled])`);
  }

  // 2c. Optional: start a boost from home (once home has reloaded the player and redrawn)
  if (START_BOOST) {
    await page.waitForLoadState('networkidle');
    const start = await waitVisibleOrError(`${tid(`boost-${START_BOOST}`)} ${tid(`start-${START_BOOST}`)}`);
    await page.locator(tid(`boost-${START_BOOST}`)).scrollIntoViewIfNeeded();
    await shot(page, '03c-home-boost-held.png');
    const useResp = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/use');
    await start.click();
    const ur = await useResp;
    started = await ur.json().catch(() => null);
    if (!ur.ok() || !started || !started.boost) throw new Error(`POST /api/use failed: HTTP ${ur.status()} ${JSON.stringify(started)}`);
    const left = await waitVisibleOrError(`${tid(`boost-running-${START_BOOST}`)} ${tid(`time-left-${START_BOOST}`)}`);
    const leftText = ((await left.textContent()) || '').trim();
    if (!/^\d+:\d\d$/.test(leftText)) throw new Error(`the running boost shows "${leftText}" as its time left`);
    if (await page.locator(tid(`start-${START_BOOST}`)).count()) throw new Error('the started boost still offers Start');
    started.time_left_shown = leftText;
    started.notice = ((await page.locator(tid('notice')).textContent()) || '').trim();
    started.run_mult_shown = ((await page.locator('#run-mult').textContent()) || '').trim();
    log(`${START_BOOST} running: ${leftText} left; notice "${started.notice}"`);
    await page.waitForLoadState('networkidle');
    await page.locator(tid(`boost-running-${START_BOOST}`)).scrollIntoViewIfNeeded();
    await shot(page, '03d-home-boost-running.png');
    await page.evaluate(() => window.scrollTo(0, 0));
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

  // 5. Optional: the same game in a desktop-sized window
  if (DESKTOP.length === 2 && DESKTOP.every((n) => n > 0)) {
    const desk = await browser.newContext({ viewport: { width: DESKTOP[0], height: DESKTOP[1] } });
    const dp = await desk.newPage();
    dp.on('pageerror', (err) => pageErrors.push(String(err)));
    await dp.goto(GAME_URL, { waitUntil: 'domcontentloaded' });
    await dp.locator(`${tid('play')}:not([disabled])`).waitFor({ state: 'visible' });
    await dp.waitForFunction(() => document.fonts.status === 'loaded');
    await shot(dp, '06-desktop-home.png', true);
    await dp.locator(tid('shop')).click();
    await dp.locator(`${tid('shop-list')} li.item`).first().waitFor({ state: 'visible' });
    await shot(dp, '07-desktop-shop.png', true);
    await desk.close();
    checkErrors();
  }

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
    receipt,
    disabled,
    started,
  };
  await succeed(out);
}

run(main);
