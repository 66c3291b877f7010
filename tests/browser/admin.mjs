#!/usr/bin/env node
// Signs in to the operator console with one-time links in headless Chromium, on a phone and on a
// desktop, reads the overview (its sales cards and charts too) and the Items view as an operator
// sees them, tries a used link and signing out, then refunds PLAYER's payment from the Players tab
// on the phone (search -> Refund -> Confirm).
//
//   LINK=http://127.0.0.1:8080/admin/login?t=... LINK2=... SCREENSHOT_DIR=/tmp/shots node tests/browser/admin.mjs
//
// Environment:
//   LINK            a fresh sign-in link (used on the phone; then tried again on the desktop)
//   LINK2           another fresh link (the desktop signs in with it)
//   PLAYER          the user id of a player with one refundable payment
//   SCREENSHOT_DIR  where the PNGs go (required; created if missing)
//   CHROMIUM        browser binary (default /usr/bin/chromium; never downloaded)
//   TIMEOUT_MS      overall limit (default 120000)
//
// Output: one JSON line on stdout
//   {"phone":{overview},"desktop":{overview},"phone_items":{items},"desktop_items":{items},
//    "signed_out":{gate},"reused":{gate},"later":{...},"after_sign_out":{gate},"refund":{...},"screenshots":[...]}
// where an overview is {"who","balance","refunds","journal","webhook_mode","webhook_pending",
// "webhook_error","nav":[...],"navInView" (links wholly in the window),"active","overflow",
// "sales":{"<window>":{"net","received","refunded","refund-rate","units-sold"}},"charts":[ids of drawn SVGs],"problem"},
// items {"rows":{"<id>":{"sold","refunds","received","net","left","held","sparkline"}},"overflow","active"}
// a gate {"state","title","text"} and the refund {"card" (the summary's text),"before" (refund
// buttons),"confirm" (its question),"result","after" (statuses),"buttons","overflow"};
// exit 0; on any failure the reason goes to stderr and the exit code is 1.

import fs from 'node:fs';
import { driver, tid } from './chromium.mjs';
import { DESKTOP, gate, PHONE, screenshotter, signIn } from './console_steps.mjs';

const LINK = process.env.LINK;
const LINK2 = process.env.LINK2;
const PLAYER = process.env.PLAYER;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 120_000);

const { log, launch, succeed, run } = driver('admin', 'admin driver failed', TIMEOUT_MS);
const { shot, files: screenshots } = screenshotter(SCREENSHOT_DIR || '.');

async function overview(page) {
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent.trim();
    const active = document.querySelector('.nav a.active');
    return {
      who: text('who'),
      balance: text('balance'),
      refunds: text('pending-refunds'),
      journal: text('journal-backlog'),
      webhook_mode: text('webhook-mode'),
      webhook_pending: text('webhook-pending'),
      webhook_error: text('webhook-error'),
      nav: [...document.querySelectorAll('.nav a')].map((a) => a.textContent.trim()),
      navInView: [...document.querySelectorAll('.nav a')].filter((a) => {
        const box = a.getBoundingClientRect();
        return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
      }).length,
      active: active ? active.textContent.trim() : null,
      overflow: document.documentElement.scrollWidth > window.innerWidth,
      sales: Object.fromEntries([...document.querySelectorAll('#sales [data-window]')].map((card) => [
        card.dataset.window,
        Object.fromEntries([...card.querySelectorAll('[data-field]')].map((node) => [node.dataset.field, node.textContent.trim()])),
      ])),
      charts: [...document.querySelectorAll('#sales figure[data-chart-id]')]
        .filter((figure) => figure.querySelector('svg') && figure.getBoundingClientRect().width > 0)
        .map((figure) => figure.dataset.chartId),
      problem: document.getElementById('problem').hidden ? '' : text('problem'),
    };
  });
}

// The Players tab: find PLAYER, Refund, Confirm; what the page shows after each step.
async function refundFromPlayers(page) {
  await page.click('.nav a[data-view="players"]');
  await page.waitForSelector(`${tid('players')}:not([hidden])`);
  await page.fill('#player-id', PLAYER);
  await page.click(tid('find-player'));
  await page.waitForSelector(tid('player-summary'));
  const card = (await page.locator(tid('player-summary')).innerText()).replace(/\s+/g, ' ').trim();
  const before = await page.locator(tid('refund')).count();
  await shot(page, 'phone-player');
  await page.click(tid('refund'));
  const confirm = (await page.locator('.confirm').innerText()).replace(/\s+/g, ' ').trim();
  await shot(page, 'phone-refund-confirm');
  await page.click(tid('confirm-refund'));
  await page.waitForSelector(`${tid('refund-result')}:not([hidden])`);
  await page.waitForFunction(() => !document.querySelector('.status-paid'));
  await shot(page, 'phone-refunded');
  return page.evaluate(({ card, before, confirm }) => ({
    card,
    before,
    confirm,
    result: document.getElementById('refund-result').textContent.trim(),
    after: [...document.querySelectorAll('.payment .status')].map((node) => node.textContent.trim()),
    buttons: document.querySelectorAll('[data-testid="refund"]').length,
    overflow: document.documentElement.scrollWidth > window.innerWidth,
  }), { card, before, confirm });
}

// Opens the Items view and reads its rows as shown.
async function items(page) {
  await page.click('.nav a[data-view="items"]');
  await page.waitForSelector(`${tid('items')}:not([hidden]) table.items`);
  return page.evaluate(() => ({
    rows: Object.fromEntries([...document.querySelectorAll('table.items tbody tr')].map((tr) => [
      tr.dataset.item,
      {
        ...Object.fromEntries([...tr.querySelectorAll('[data-field]')].map((td) => [td.dataset.field, td.textContent.trim()])),
        sparkline: tr.querySelector('.spark svg polyline') !== null,
      },
    ])),
    overflow: document.documentElement.scrollWidth > window.innerWidth,
    active: document.querySelector('.nav a.active').textContent.trim(),
  }));
}

run(async () => {
  if (!LINK || !LINK2 || !PLAYER || !SCREENSHOT_DIR) throw new Error('LINK, LINK2, PLAYER and SCREENSHOT_DIR are required');
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const browser = await launch();

  log('phone: sign in with LINK');
  const phone = await browser.newContext(PHONE);
  const phonePage = await phone.newPage();
  await phonePage.goto(LINK);
  await gate(phonePage);
  await shot(phonePage, 'phone-confirm');
  await signIn(phonePage, LINK);
  const phoneOverview = await overview(phonePage);
  await shot(phonePage, 'phone-overview');
  const phoneItems = await items(phonePage);
  await shot(phonePage, 'phone-items');

  log('desktop: not signed in, then the used LINK');
  const desktop = await browser.newContext(DESKTOP);
  const page = await desktop.newPage();
  await page.goto(new URL('/admin/', LINK).href);
  const signedOut = await gate(page);
  await shot(page, 'desktop-not-signed-in');
  await page.goto(LINK);
  const reused = await gate(page);
  await shot(page, 'desktop-reused-link');

  log('desktop: sign in with LINK2');
  await signIn(page, LINK2);
  const desktopOverview = await overview(page);
  await shot(page, 'desktop-overview');
  const desktopItems = await items(page);
  await shot(page, 'desktop-items');
  await page.click('.nav a[data-view="transactions"]');
  await page.waitForSelector(`${tid('transactions')}:not([hidden])`);
  const later = { active: (await page.locator('.nav a.active').innerText()).trim(), later_shown: await page.locator(tid('later')).isVisible() };

  log('desktop: sign out');
  await page.click(tid('sign-out'));
  await page.waitForSelector(tid('gate'));
  const afterSignOut = await gate(page);
  const cookies = await desktop.cookies();
  await shot(page, 'desktop-signed-out');

  log('phone: refund from the Players tab');
  const refund = await refundFromPlayers(phonePage);

  await succeed({
    phone: phoneOverview,
    desktop: desktopOverview,
    phone_items: phoneItems,
    desktop_items: desktopItems,
    refund,
    signed_out: signedOut,
    reused,
    later,
    after_sign_out: { ...afterSignOut, cookies: cookies.length },
    screenshots,
  });
});
