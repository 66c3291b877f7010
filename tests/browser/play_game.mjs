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
//    "receipt":"..."|null,"disabled":[{"id","label","why"}],"started":{...}|null,
//    "allowance":"Arcade gems left today: …","daily_note":"…"|null, ...}
// and exit 0; on any failure the reason goes to stderr and the exit code is 1.

import fs from 'node:fs';
import { driver, tid } from './chromium.mjs';
import { buyInShop, gamePage, openHome, playRun } from './game_page.mjs';

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

const { log, launch, succeed, run } = driver('play_game', 'play_game failed', TIMEOUT_MS);

async function main() {
  if (!GAME_URL) throw new Error('GAME_URL is not set');
  if (!SCREENSHOT_DIR) throw new Error('SCREENSHOT_DIR is not set');
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const shots = [];
  const browser = await launch();
  const g = await gamePage(browser, { gameUrl: GAME_URL, dir: SCREENSHOT_DIR, shots, log });
  const { page, shot, waitVisibleOrError } = g;

  // 1. Home
  await openHome(g, GAME_URL, log);
  const allowance = ((await page.locator(tid('arcade-left')).textContent()) || '').trim();
  await shot('01-home.png');

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
    await shot('01b-skin.png');
  }

  // 2. Optional purchase: one message, in the order box
  let invoiceLink = null;
  let receipt = null;
  let started = null;
  const disabled = [];
  if (BUY_ITEM) {
    ({ invoiceLink, receipt } = await buyInShop(g, BUY_ITEM, {
      dir: SCREENSHOT_DIR,
      log,
      shots: { invoice: '02-shop-invoice.png', paid: '03-shop-paid.png' },
    }));
    if (RECEIPT && receipt !== RECEIPT) throw new Error(`the order box says "${receipt}", expected "${RECEIPT}"`);
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
    await shot('03b-shop-unavailable.png');
  }
  if (await page.locator(`${tid('shop-screen')}.active`).isVisible()) {
    await page.locator(tid('back')).click();
    await waitVisibleOrError(`${tid('play')}:not([disabled])`);
  }

  // 2c. Optional: start a boost from home (once home has reloaded the player and redrawn)
  // Scrolls the element into view inside the page in one step, so a redraw between finding the
  // element and scrolling it (the home screen reloads the player) cannot detach it mid-action.
  const scrollIntoView = (selector) =>
    page.locator(selector).evaluate((el) => el.scrollIntoView({ block: 'center' }));
  if (START_BOOST) {
    await page.waitForLoadState('networkidle');
    const start = await waitVisibleOrError(`${tid(`boost-${START_BOOST}`)} ${tid(`start-${START_BOOST}`)}`);
    await scrollIntoView(tid(`boost-${START_BOOST}`));
    await shot('03c-home-boost-held.png');
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
    await scrollIntoView(tid(`boost-running-${START_BOOST}`));
    await shot('03d-home-boost-running.png');
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  // 3. Play one whole run, 4. its results
  const { run: played, result, finalState } = await playRun(g, { log, midShot: '04-playing.png' });
  const note = page.locator(tid('daily-note'));
  const dailyNote = (await note.isVisible()) ? ((await note.textContent()) || '').trim() : null;
  await shot('05-results.png');
  g.checkErrors();

  // 5. Optional: the same game in a desktop-sized window
  if (DESKTOP.length === 2 && DESKTOP.every((n) => n > 0)) {
    const desk = await gamePage(browser, {
      gameUrl: GAME_URL,
      dir: SCREENSHOT_DIR,
      shots,
      log,
      contextOptions: { viewport: { width: DESKTOP[0], height: DESKTOP[1] } },
    });
    await openHome(desk, GAME_URL, log);
    await desk.shot('06-desktop-home.png', true);
    await desk.page.locator(tid('shop')).click();
    await desk.page.locator(`${tid('shop-list')} li.item`).first().waitFor({ state: 'visible' });
    await desk.shot('07-desktop-shop.png', true);
    await desk.context.close();
    desk.checkErrors();
  }

  const out = {
    score: result.score,
    best: result.best,
    gems_awarded: result.gems_awarded,
    new_best: Boolean(result.new_best),
    rank: result.rank ?? null,
    mined: finalState.mined,
    run: {
      run_id: played.run_id,
      seconds: played.seconds,
      max_score: played.max_score,
      score_multiplier: played.score_multiplier,
      skin: played.skin,
    },
    screenshots: shots,
    invoice_link: invoiceLink,
    receipt,
    disabled,
    started,
    allowance,
    daily_note: dailyNote,
  };
  await succeed(out);
}

run(main);
