#!/usr/bin/env node
// Gives a friend an item from the Starmine Rush page's shop in headless Chromium at phone size:
// the 🎁 on an item's card, a friend picked from the chat's scoreboard, the invoice link paid.
//
//   GAME_URL=http://127.0.0.1:8080/game/?token=... SCREENSHOT_DIR=/tmp/shots node tests/browser/gift.mjs
//
// Environment:
//   GAME_URL        the game page, with its ?token=... (required)
//   SCREENSHOT_DIR  where the PNGs go (required; created if missing)
//   FRIEND          the friend's user id, as the scoreboard lists them (required)
//   REFUSED_ITEM    optional item id first given to FRIEND, which the server must refuse
//   GIFT_ITEM       the item id given and paid: prints "INVOICE_LINK <link>" on stderr for the
//                   test to pay, and waits until the order box says paid
//   CHROMIUM        browser binary (default /usr/bin/chromium; never downloaded)
//   TIMEOUT_MS      overall limit (default 120000)
//
// Output: one JSON line on stdout
//   {"friends":[{"id":...,"name":...}],"refused":{"status":...,"text":...}|null,
//    "gift":{"title":...,"invoice_link":...,"done":...},"layout":[...],"screenshots":[...]}
// and exit 0; on any failure the reason goes to stderr and the exit code is 1.

import fs from 'node:fs';
import path from 'node:path';
import { driver, tid } from './chromium.mjs';
import { gamePage, openHome, STEP_MS } from './game_page.mjs';

const GAME_URL = process.env.GAME_URL;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const FRIEND = process.env.FRIEND;
const REFUSED_ITEM = process.env.REFUSED_ITEM || '';
const GIFT_ITEM = process.env.GIFT_ITEM;
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 120_000);
const PAY_WAIT_MS = 60_000;

const { log, launch, succeed, run } = driver('gift', 'gift driver failed', TIMEOUT_MS);

const text = async (locator) => ((await locator.textContent()) || '').trim().replace(/\s+/g, ' ');

// Layout problems at phone size: the page wider than the window, a friend button cut or too small.
function layoutProblems() {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`);
  }
  for (const button of document.querySelectorAll('#gift-friends .friend, .item-foot .gift')) {
    const box = button.getBoundingClientRect();
    if (box.width === 0) continue;
    if (box.height < 36) problems.push(`${button.dataset.testid} is ${Math.round(box.height)}px tall`);
    if (button.scrollWidth > button.clientWidth + 1) problems.push(`${button.dataset.testid}'s label is cut`);
    if (box.right > window.innerWidth + 1) problems.push(`${button.dataset.testid} runs off the window`);
  }
  return problems;
}

// Taps 🎁 on `item`, waits for the scoreboard's friends and taps FRIEND; returns the friends listed.
async function giftTo(g, item) {
  const { page } = g;
  const gift = await g.waitVisibleOrError(tid(`gift-${item}`));
  await gift.evaluate((b) => b.closest('li').scrollIntoView({ block: 'center' }));
  await gift.click();
  const friend = await g.waitVisibleOrError(tid(`friend-${FRIEND}`));
  const friends = await page.locator('#gift-friends .friend').evaluateAll((buttons) =>
    buttons.map((b) => ({ id: b.dataset.testid.replace(/^friend-/, ''), name: b.textContent.trim() })),
  );
  return { friend, friends };
}

run(async () => {
  if (!GAME_URL || !SCREENSHOT_DIR || !FRIEND || !GIFT_ITEM) throw new Error('GAME_URL, SCREENSHOT_DIR, FRIEND and GIFT_ITEM are required');
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const shots = [];
  const browser = await launch();
  const g = await gamePage(browser, { gameUrl: GAME_URL, dir: SCREENSHOT_DIR, shots, log });
  const { page } = g;
  await openHome(g, GAME_URL, log);
  await page.locator(tid('shop')).click();
  await g.waitVisibleOrError(tid(`buy-${GIFT_ITEM}`));
  const status = page.locator(tid('order-status'));

  let refused = null;
  if (REFUSED_ITEM) {
    const { friend } = await giftTo(g, REFUSED_ITEM);
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/gift');
    await friend.click();
    const r = await answer;
    if (r.status() !== 409) throw new Error(`a gift of ${REFUSED_ITEM} answered HTTP ${r.status()}, not 409`);
    await page.waitForFunction(() => document.querySelector('[data-testid="order-status"]').dataset.status === 'refused');
    refused = { status: r.status(), code: (await r.json()).code, text: await text(status) };
    log(`refused: ${refused.text}`);
    await g.shot('01-gift-refused.png');
  }

  const { friend, friends } = await giftTo(g, GIFT_ITEM);
  const layout = await page.evaluate(layoutProblems);
  await g.shot('02-gift-pick-friend.png');
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/gift');
  await friend.click();
  const r = await answer;
  const body = await r.json().catch(() => null);
  if (!r.ok() || !body || !body.invoice_link) throw new Error(`POST /api/gift failed: HTTP ${r.status()} ${JSON.stringify(body)}`);
  fs.writeFileSync(path.join(SCREENSHOT_DIR, 'invoice_link.txt'), body.invoice_link + '\n');
  process.stderr.write(`INVOICE_LINK ${body.invoice_link}\n`);
  await g.waitVisibleOrError(tid('pay-link'));
  const title = await text(page.locator('#order-title'));
  await g.shot('03-gift-invoice.png');
  const deadline = Date.now() + PAY_WAIT_MS;
  for (;;) {
    g.checkErrors();
    const st = await status.getAttribute('data-status');
    if (st === 'paid') break;
    if (['expired', 'refunded', 'error', 'refused'].includes(st)) throw new Error(`the gift ended as ${st}: ${await text(status)}`);
    if (Date.now() > deadline) throw new Error(`the gift was not paid within ${PAY_WAIT_MS / 1000} s (status ${st})`);
    await page.waitForTimeout(250);
  }
  const done = await text(status);
  await g.shot('04-gift-sent.png');
  g.checkErrors();
  await page.waitForTimeout(Math.min(STEP_MS, 300));
  await succeed({ friends, refused, gift: { title, invoice_link: body.invoice_link, done }, layout, screenshots: shots });
});
