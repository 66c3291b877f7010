// The game page's steps that both game drivers (play_game.mjs, upgrades.mjs) take: a phone-sized
// page that refuses other origins and fails fast on the page's own errors, a purchase in its shop
// paid through the invoice link (someone else pays it), and one whole run played by tapping the
// richest ore.
import fs from 'node:fs';
import path from 'node:path';
import { tid } from './chromium.mjs';

export const STEP_MS = 20_000;
const PAY_WAIT_MS = 60_000;

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// A page in a fresh context: { page, context, shot, checkErrors, waitVisibleOrError }. Screenshots
// go to `dir` and their paths into `shots`; errors the page throws fail the next check.
export async function gamePage(browser, { gameUrl, dir, shots, log, contextOptions = PHONE }) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  const pageErrors = [];
  page.on('pageerror', (err) => {
    pageErrors.push(String(err && err.stack ? err.stack : err));
    log(`page error: ${err}`);
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    log(`console error: ${msg.text()}`);
    // Something the page's Content-Security-Policy blocked is a bug in the page or the policy.
    if (/Content Security Policy/i.test(msg.text())) pageErrors.push(`CSP violation: ${msg.text()}`);
  });
  // Nothing outside the game's own origin is needed; refuse it so a stray request can't hang.
  const origin = new URL(gameUrl).origin;
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    log(`blocked outside request ${u}`);
    return route.abort();
  });
  const checkErrors = () => {
    if (pageErrors.length) throw new Error(`the page threw: ${pageErrors[0]}`);
  };
  const shot = async (name, fullPage = false) => {
    const file = path.resolve(dir, name);
    await page.screenshot({ path: file, animations: 'allow', fullPage });
    shots.push(file);
    log(`screenshot ${file}`);
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
  return { page, context, shot, checkErrors, waitVisibleOrError };
}

// Opens the game and waits for home, its Play button on and its fonts loaded.
export async function openHome(g, gameUrl, log) {
  log(`opening ${gameUrl.replace(/token=[^&#]+/, 'token=…')}`);
  const resp = await g.page.goto(gameUrl, { waitUntil: 'domcontentloaded' });
  if (!resp || !resp.ok()) throw new Error(`the game page answered HTTP ${resp ? resp.status() : 'nothing'}`);
  await g.waitVisibleOrError(`${tid('play')}:not([disabled])`);
  await g.page.waitForFunction(() => document.fonts.status === 'loaded');
}

// No error toast and no notice showing.
export async function assertNoToast(page, when) {
  for (const id of ['error', 'notice']) {
    const toast = page.locator(tid(id));
    if (await toast.isVisible()) throw new Error(`${when} a toast shows too: "${(await toast.textContent()).trim()}"`);
  }
}

// Opens the shop and taps Buy on `item`; prints "INVOICE_LINK <link>" on stderr (and writes it to
// `dir`/invoice_link.txt) for the test to pay, waits until the order box says paid and returns
// { invoiceLink, receipt } (the order box's one message; no toast may show beside it).
export async function buyInShop(g, item, { dir, log, shots = {} }) {
  const { page } = g;
  // An earlier step's notice fades first, so any toast seen after the purchase is the purchase's own.
  await page.locator(tid('notice')).waitFor({ state: 'hidden', timeout: 6000 });
  await page.locator(tid('shop')).click();
  const buyBtn = await g.waitVisibleOrError(tid(`buy-${item}`));
  if (await buyBtn.isDisabled()) throw new Error(`the Buy button for ${item} is disabled (owned or sold out)`);
  const buyResp = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/buy');
  await buyBtn.click();
  const r = await buyResp;
  const body = await r.json().catch(() => null);
  if (!r.ok() || !body || !body.invoice_link) throw new Error(`POST /api/buy failed: HTTP ${r.status()} ${JSON.stringify(body)}`);
  const invoiceLink = body.invoice_link;
  fs.writeFileSync(path.join(dir, 'invoice_link.txt'), invoiceLink + '\n');
  process.stderr.write(`INVOICE_LINK ${invoiceLink}\n`);
  await g.waitVisibleOrError(tid('pay-link'));
  const shown = await page.locator(tid('pay-link')).getAttribute('data-link');
  if (shown !== invoiceLink) throw new Error(`pay-link shows ${shown}, the API gave ${invoiceLink}`);
  if (shots.invoice) await g.shot(shots.invoice);
  log(`waiting up to ${PAY_WAIT_MS / 1000} s for the order to be paid`);
  const status = page.locator(tid('order-status'));
  const payDeadline = Date.now() + PAY_WAIT_MS;
  for (;;) {
    g.checkErrors();
    const st = await status.getAttribute('data-status');
    if (st === 'paid') break;
    if (st === 'expired' || st === 'refunded' || st === 'error') {
      throw new Error(`order ended as ${st}: ${(await status.textContent()).trim()}`);
    }
    if (Date.now() > payDeadline) throw new Error(`order not paid within ${PAY_WAIT_MS / 1000} s (status ${st})`);
    await page
      .waitForFunction((prev) => document.querySelector('[data-testid="order-status"]').dataset.status !== prev, st, {
        timeout: Math.max(100, Math.min(2000, payDeadline - Date.now())),
      })
      .catch(() => {});
  }
  const receipt = ((await status.textContent()) || '').trim();
  await assertNoToast(page, 'after the purchase');
  if (shots.paid) await g.shot(shots.paid);
  return { invoiceLink, receipt };
}

// Taps Play on home and mines until the run ends; returns { run, result, finalState } once the
// results screen shows the score the server stored. `midShot` is taken halfway, while an ore shatters.
export async function playRun(g, { log, midShot }) {
  const { page } = g;
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
  let shotTaken = !midShot;
  let taps = 0;
  for (;;) {
    g.checkErrors();
    if (Date.now() > runLimit) throw new Error('the run did not end in time');
    const st = await page.evaluate(() => window.starmineRush.state());
    if (st.screen !== 'playing' || st.phase === 'over') break;
    if (!shotTaken && st.phase === 'playing' && st.timeLeftMs <= st.durationMs / 2 && st.score > 0) {
      // For a telling picture: let a few ores show up, mine one, and shoot while it shatters.
      shotTaken = true;
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
      await g.shot(midShot);
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
  if (!shotTaken) await g.shot(midShot);
  log(`run over after ${taps} taps`);

  const fr = await finishResp;
  const result = await fr.json().catch(() => null);
  if (!fr.ok() || !result) throw new Error(`finishing the run failed: HTTP ${fr.status()} ${JSON.stringify(result)}`);
  await g.waitVisibleOrError(`${tid('results')}[data-state="saved"] ${tid('final-score')}`, 30_000).catch(async (e) => {
    const state = await page.locator(tid('results')).getAttribute('data-state').catch(() => null);
    throw new Error(`${e.message} (results state ${state})`);
  });
  await page.locator(tid('play-again')).waitFor({ state: 'visible' });
  const shown = Number((await page.locator(tid('final-score')).textContent()).replace(/[^0-9]/g, ''));
  if (shown !== result.score) throw new Error(`results show ${shown}, the server answered ${result.score}`);
  const finalState = await page.evaluate(() => window.starmineRush.state());
  if (finalState.score !== result.score) throw new Error(`the page scored ${finalState.score}, the server stored ${result.score}`);
  // let the "new best" badge land before the picture
  await page
    .waitForFunction(
      () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming?.().iterations === Infinity),
      null,
      { timeout: 3000 },
    )
    .catch(() => {});
  return { run, result, finalState };
}
