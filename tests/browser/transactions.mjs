#!/usr/bin/env node
// The console's Transactions tab in headless Chromium. MODE=empty: signs in on a phone and reads
// the tab before any reconciliation pass (the empty state). MODE=full: on a phone (390x844) reads
// the first page of 10, pages Next and Previous, filters by item and by player, downloads the
// CSV of the item filter; then on a desktop (1280x800) reads the whole ledger, downloads it, and
// clicks a row's player to see only theirs.
//
//   MODE=full LINK=... LINK2=... PLAYER=1001 ITEM=rare SCREENSHOT_DIR=/tmp/shots node tests/browser/transactions.mjs
//
// Environment: MODE (empty | full), LINK (a fresh sign-in link for the phone), LINK2 (another for
// the desktop, full only), PLAYER and ITEM (the filters tried), SCREENSHOT_DIR (required),
// CHROMIUM, TIMEOUT_MS (default 120000).
//
// Output: one JSON line. empty: {"empty":{view}}; full: {"first","second","back","by_item",
// "by_player","desktop":{view},"csv_item","csv_all":{csv},"clicked":{view, "field"},"screenshots"} where a view is
// {"rows":[{"key","date","player","item","qty","stars","kind","charge","charge_title"}],"count",
// "fresh","empty","prev","next","overflow","active"} and a csv {"name","lines":[...]}.

import fs from 'node:fs';
import path from 'node:path';
import { driver, tid } from './chromium.mjs';

const { MODE, LINK, LINK2, PLAYER, ITEM, SCREENSHOT_DIR } = process.env;
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 120_000);

const { log, launch, succeed, run } = driver('transactions', 'transactions driver failed', TIMEOUT_MS);
const screenshots = [];

async function shot(page, name) {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  screenshots.push(file);
}

async function signIn(page, link) {
  await page.goto(link);
  await page.click(tid('sign-in'));
  await page.waitForSelector('body[data-ready="1"]');
}

// Waits for the tab to show a load newer than `after` and reads it.
async function view(page, after = '') {
  await page.waitForFunction((previous) => {
    const loaded = document.getElementById('view-transactions').dataset.loaded;
    return loaded && loaded !== previous;
  }, after);
  return page.evaluate(() => {
    const text = (node) => (node ? node.textContent.trim() : null);
    const rows = [...document.querySelectorAll('#tx-table tbody tr')].map((tr) => {
      const field = (name) => text(tr.querySelector(`[data-field="${name}"]`));
      const code = tr.querySelector('[data-field="charge"] code');
      return {
        key: tr.dataset.key,
        date: field('date'),
        player: field('player'),
        item: field('item'),
        qty: field('qty'),
        stars: field('stars'),
        kind: field('kind'),
        charge: field('charge'),
        charge_title: code ? code.title : null,
      };
    });
    return {
      rows,
      count: text(document.getElementById('tx-count')),
      fresh: text(document.getElementById('tx-fresh')),
      empty: text(document.querySelector('[data-testid="tx-empty"]')),
      prev: !document.getElementById('tx-prev').disabled,
      next: !document.getElementById('tx-next').disabled,
      overflow: document.documentElement.scrollWidth > window.innerWidth,
      active: text(document.querySelector('.nav a.active')),
      loaded: document.getElementById('view-transactions').dataset.loaded,
    };
  });
}

async function openTab(page) {
  await page.click('.nav a[data-view="transactions"]');
  await page.waitForSelector(`${tid('transactions')}:not([hidden])`);
  return view(page);
}

// Clicks `selector` and waits for the tab's next load.
async function act(page, selector, shown) {
  await page.click(selector);
  return view(page, shown.loaded);
}

async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(tid('tx-csv'))]);
  const saved = path.join(SCREENSHOT_DIR, name);
  await file.saveAs(saved);
  return { name: file.suggestedFilename(), lines: fs.readFileSync(saved, 'utf8').split('\r\n').filter(Boolean) };
}

async function empty(browser) {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  await signIn(page, LINK);
  const shown = await openTab(page);
  await shot(page, 'phone-transactions-empty');
  return { empty: shown };
}

async function full(browser) {
  log('phone: the first page of 10, Next, Previous, the filters, the CSV');
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, acceptDownloads: true });
  const page = await phone.newPage();
  await signIn(page, LINK);
  const opened = await openTab(page);
  await page.selectOption('#tx-size', '10');
  const first = await act(page, tid('tx-apply'), opened);
  await shot(page, 'phone-transactions');
  const second = await act(page, tid('tx-next'), first);
  await shot(page, 'phone-transactions-next');
  const back = await act(page, tid('tx-prev'), second);
  await page.selectOption('#tx-item', ITEM);
  const byItem = await act(page, tid('tx-apply'), back);
  await shot(page, 'phone-transactions-item');
  const csvItem = await download(page, 'item.csv');
  await page.selectOption('#tx-item', '');
  await page.fill('#tx-player', PLAYER);
  const byPlayer = await act(page, tid('tx-apply'), byItem);
  await shot(page, 'phone-transactions-player');

  log('desktop: the whole ledger and its CSV');
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const wide = await desktop.newPage();
  await signIn(wide, LINK2);
  const all = await openTab(wide);
  await shot(wide, 'desktop-transactions');
  const csvAll = await download(wide, 'all.csv');
  const clicked = await act(wide, `#tx-table button[data-player="${PLAYER}"]`, all);
  const clickedField = await wide.inputValue('#tx-player');
  await shot(wide, 'desktop-transactions-player');
  return {
    first, second, back, by_item: byItem, by_player: byPlayer, desktop: all, csv_item: csvItem, csv_all: csvAll,
    clicked: { ...clicked, field: clickedField },
  };
}

run(async () => {
  if (!LINK || !SCREENSHOT_DIR || (MODE === 'full' && (!LINK2 || !PLAYER || !ITEM))) {
    throw new Error('LINK and SCREENSHOT_DIR are required, and LINK2, PLAYER and ITEM with MODE=full');
  }
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const browser = await launch();
  const out = MODE === 'empty' ? await empty(browser) : await full(browser);
  await succeed({ ...out, screenshots });
});
