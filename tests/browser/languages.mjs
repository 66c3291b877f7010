#!/usr/bin/env node
// The game page in the player's language, in headless Chromium on a phone-sized screen: home and
// the shop as the server words them (GET /api/me's `lang`, `dir`, `texts`; the shop's item names).
// With BUY_BOOST=<item id>: buys it (the test pays the INVOICE_LINK printed on stderr), then starts
// it from home, and reports the Pay link, the receipt, the boost's gear notes and the notice.
//
//   GAME_URL=http://127.0.0.1:8080/game/?token=... SCREENSHOT_DIR=/tmp/shots node tests/browser/languages.mjs
//
// Output: one JSON line on stdout
//   {"lang","dir","tagline","play","allowance","gear","run_seconds","skin","shop_title","shop_note",
//    "items":[name...],"stock":[left...],"upgrades":{"have","now","buy","why"},"play_left",
//    "play_right","overflow":bool,"back_label","bought":{"pay","receipt","held","notice","running",
//    "running_name"}|null,
//    "screenshots":[...]}
// and exit 0; on any failure the reason goes to stderr and the exit code is 1.

import fs from 'node:fs';
import { driver, tid } from './chromium.mjs';
import { buyInShop, gamePage, openHome } from './game_page.mjs';

const GAME_URL = process.env.GAME_URL;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 120_000);
const BUY_BOOST = process.env.BUY_BOOST || '';

const { log, launch, succeed, run } = driver('languages', 'languages failed', TIMEOUT_MS);

async function main() {
  if (!GAME_URL || !SCREENSHOT_DIR) throw new Error('GAME_URL and SCREENSHOT_DIR must be set');
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const shots = [];
  const browser = await launch();
  const g = await gamePage(browser, { gameUrl: GAME_URL, dir: SCREENSHOT_DIR, shots, log });
  const { page, shot, waitVisibleOrError } = g;

  await openHome(g, GAME_URL, log);
  await shot('home.png');
  const text = (selector) => page.locator(selector).first().textContent().then((t) => (t || '').trim());
  const home = await page.evaluate(() => {
    const play = document.querySelector('#play-btn').getBoundingClientRect();
    const gear = document.querySelector('.gear-title');
    return {
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      direction: getComputedStyle(document.body).direction,
      play_left: Math.round(play.left),
      play_right: Math.round(window.innerWidth - play.right),
      gear: gear ? gear.textContent.trim() : null,
      overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
      back_label: document.querySelector('#back-btn').getAttribute('aria-label'),
    };
  });
  const tagline = await text('.tagline');
  const play = await text(`${tid('play')} span`);
  const allowance = await text('#arcade-left span');
  const runSeconds = await text('#run-seconds');
  const skin = await text('#skin-name');
  // The upgrades card: the gems, and the first track's state, button and why it is off.
  await page.locator('#upgrades-card').scrollIntoViewIfNeeded();
  await shot('upgrades.png');
  const upgrades = {
    have: await text('#up-gems'),
    now: await text('#track-list .up-now'),
    buy: await text('#track-list .up-buy'),
    why: await text('#track-list .up-side'),
  };

  await page.locator('#shop-btn').click();
  await waitVisibleOrError(`${tid('shop-list')} .item-name`);
  await shot('shop.png');
  const items = await page.locator(`${tid('shop-list')} .item-name`).allTextContents();
  const shopTitle = await text('#screen-shop h1');
  const shopNote = await text('.shop-note');
  const stock = await page.locator(`${tid('shop-list')} .stock-left`).allTextContents();
  const shopOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  const bought = BUY_BOOST ? await buyAndStart(g, BUY_BOOST, text) : null;
  g.checkErrors();
  await succeed({
    ...home,
    overflow: home.overflow || shopOverflow,
    tagline,
    play,
    allowance,
    run_seconds: runSeconds,
    skin,
    upgrades,
    stock: stock.map((t) => t.trim()),
    shop_title: shopTitle,
    shop_note: shopNote,
    items: items.map((t) => t.trim()),
    bought,
    screenshots: shots,
  });
}

// Buys the boost `id` in the shop and starts it from home: the words of each step.
async function buyAndStart(g, id, text) {
  const { page, waitVisibleOrError } = g;
  await page.locator(tid('back')).click();
  const { receipt } = await buyInShop(g, id, { dir: SCREENSHOT_DIR, log, shots: { paid: 'bought.png' } });
  const pay = await text(tid('pay-link'));
  await page.locator(tid('back')).click();
  await page.waitForLoadState('networkidle');
  const held = await waitVisibleOrError(`${tid(`boost-${id}`)} .g-effect`);
  const heldNote = ((await held.textContent()) || '').trim();
  const useResp = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/use');
  await page.locator(`${tid(`boost-${id}`)} ${tid(`start-${id}`)}`).click();
  await useResp;
  const running = await waitVisibleOrError(`${tid(`boost-running-${id}`)} .g-effect`);
  const notice = await text(tid('notice'));
  await page.locator(tid(`boost-running-${id}`)).evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await g.shot('boost-started.png');
  const runningName = await text(`${tid(`boost-running-${id}`)} .g-name`);
  return { pay, receipt, held: heldNote, notice, running: ((await running.textContent()) || '').trim(), running_name: runningName };
}

run(main);
