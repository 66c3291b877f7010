#!/usr/bin/env node
// The sandbox's economy panel in headless Chromium: opens it beside the chat (desktop) and over
// it (phone), checks that every chart the server simulated is drawn with all its series, then
// makes the Energy Refill dearer in items.toml and checks that after the hot reload the month is
// simulated again with the version before drawn on the same axes.
//
//   SANDBOX_URL=http://127.0.0.1:8080/sandbox/ ITEMS_TOML=/tmp/game_data/items.toml \
//   SCREENSHOT_DIR=/tmp/shots node tests/browser/economy.mjs
//
// Environment: SANDBOX_URL, ITEMS_TOML (the sandbox's live items.toml: edited), SCREENSHOT_DIR,
// CHROMIUM (default /usr/bin/chromium), TIMEOUT_MS (default 120000).
//
// Output: one JSON line on stdout {"first":{"version",..,"sizes":[{"name","charts":[..]}]},
// "compared":{"version","against_version","charts":[..]},"screenshots":[..]}; exit 1 with the
// reasons on stderr when a check fails.

import fs from 'node:fs';
import path from 'node:path';
import { measure, problems } from './charts.mjs';
import { driver, tid } from './chromium.mjs';

const SANDBOX_URL = process.env.SANDBOX_URL;
const ITEMS_TOML = process.env.ITEMS_TOML;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 120_000);

const SIZES = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 900 } } },
  { name: 'phone', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
];

const { log, launch, succeed, run } = driver('economy', 'economy driver failed', TIMEOUT_MS);

// The charts the server's answer holds, with the series each draws (a series with no points is
// only named in the legend).
function expectedOf(answer) {
  return {
    charts: answer.charts.map((chart) => ({
      id: chart.id,
      series: (chart.svg.match(/<g data-series=/g) || []).length,
    })),
  };
}

async function economyAnswer(page) {
  return page.evaluate(async () => (await fetch('/sandbox/api/economy', { cache: 'no-store' })).json());
}

// Opens the page and the panel, and waits until the month is drawn.
async function openPanel(page) {
  await page.goto(SANDBOX_URL, { waitUntil: 'load' });
  await page.waitForSelector(tid('economy-toggle'));
  await page.click(tid('economy-toggle'));
  await page.waitForSelector('#economy[data-state="ready"]', { timeout: 60_000 });
}

async function shoot(page, name, shots) {
  const file = path.join(SCREENSHOT_DIR, `economy-${name}.png`);
  await page.screenshot({ path: file });
  log(`screenshot ${file}`);
  shots.push(file);
}

async function main() {
  for (const [name, value] of [['SANDBOX_URL', SANDBOX_URL], ['ITEMS_TOML', ITEMS_TOML], ['SCREENSHOT_DIR', SCREENSHOT_DIR]]) {
    if (!value) throw new Error(`${name} is not set`);
  }
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const browser = await launch();
  const shots = [];
  const found = [];
  const sizes = [];
  let first = null;
  let desktop = null;
  for (const size of SIZES) {
    const context = await browser.newContext(size.options);
    const page = await context.newPage();
    page.on('pageerror', (e) => found.push(`${size.name}: script error ${e.message}`));
    await openPanel(page);
    first = first || (await economyAnswer(page));
    const measured = await page.evaluate(measure, '.economy-charts');
    found.push(...problems(size.name, measured, expectedOf(first)));
    const beside = await page.evaluate(() => {
      const chat = document.querySelector('#chat').getBoundingClientRect();
      const panel = document.querySelector('#economy').getBoundingClientRect();
      return { chat_width: Math.round(chat.width), panel_left: Math.round(panel.left), panel_width: Math.round(panel.width) };
    });
    const note = await page.textContent(tid('economy-note'));
    await shoot(page, size.name, shots);
    sizes.push({ name: size.name, charts: measured.charts.length, beside, note });
    if (size.name === 'desktop') desktop = { context, page };
    else await context.close();
  }

  // A designer's edit: the refill three Stars dearer. The page hears of the reload
  // (its event stream) and the open panel draws the new month with the old one dashed.
  const { page } = desktop;
  const items = fs.readFileSync(ITEMS_TOML, 'utf8');
  const dearer = items.replace('price_stars = 5\n', 'price_stars = 8\n');
  if (dearer === items) throw new Error(`no "price_stars = 5" in ${ITEMS_TOML}`);
  fs.writeFileSync(ITEMS_TOML, dearer);
  log('items.toml edited: the refill costs 8 Stars');
  await page.waitForFunction(
    (before) => {
      const panel = document.querySelector('#economy');
      const note = document.querySelector('#economy-note').textContent;
      return panel.dataset.state === 'ready' && note.startsWith('Catalog version ') && !note.startsWith(`Catalog version ${before.slice(0, 8)}`);
    },
    first.version,
    { timeout: 60_000 },
  );
  const compared = await economyAnswer(page);
  const measured = await page.evaluate(measure, '.economy-charts');
  found.push(...problems('compared', measured, expectedOf(compared)));
  for (const chart of measured.charts) {
    if (!chart.series.some((s) => s.run === 'against')) found.push(`compared: chart ${chart.id} draws no run of the version before`);
  }
  const note = await page.textContent(tid('economy-note'));
  await page.evaluate(() => {
    document.querySelector('.economy-summary').open = true;
  });
  await shoot(page, 'compared-desktop', shots);
  const summary = await page.textContent(tid('economy-summary'));
  await desktop.context.close();

  if (found.length) throw new Error(`\n  ${found.join('\n  ')}`);
  await succeed({
    first: { version: first.version, sizes },
    compared: {
      version: compared.version,
      against_version: compared.against_version,
      note,
      summary,
      charts: measured.charts.map((chart) => ({ id: chart.id, series: chart.series.map((s) => `${s.name}/${s.run}`) })),
    },
    screenshots: shots,
  });
}

run(main);
