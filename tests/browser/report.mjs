#!/usr/bin/env node
// Opens a report written by `starmine::plot::Report` (a file on disk, no server) in headless
// Chromium at phone and desktop size, and checks that every chart rendered with all its series.
// Any report works: the example of tests/integration/plot_report.rs, or `starmine simulate`'s.
//
//   REPORT=/tmp/lab/report.html EXPECT=/tmp/lab/expect.json SCREENSHOT_DIR=/tmp/shots node tests/browser/report.mjs
//
// Environment:
//   REPORT          the report's HTML file (required)
//   EXPECT          a JSON file (required): {"charts":[{"id":"revenue","series":2}, ...]}, every
//                   chart of the page in order, with how many series it draws
//   SCREENSHOT_DIR  where the PNGs go (required; created if missing)
//   CHROMIUM        browser binary (default /usr/bin/chromium; never downloaded)
//   TIMEOUT_MS      overall limit (default 60000)
//
// Checked at each size: the page fetches nothing (every request not file:, data: or about: is
// refused and reported); no script errors; the charts are exactly the expected ones, in order;
// each chart's SVG fills its card; each drawn series (`g[data-series]`) has a non-empty box that
// lies inside its SVG; the legend lies below every series; the page is no wider than the window.
//
// Output: one JSON line on stdout
//   {"sizes":[{"name":"phone","columns":1,"charts":[{"id":..,"width":..,"series":[{"name":..,
//    "run":..,"width":..,"height":..}]}]}, ...],"screenshots":[...]}
// and exit 0; on any failed check the reasons go to stderr and the exit code is 1.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { measure, problems } from './charts.mjs';
import { driver } from './chromium.mjs';

const REPORT = process.env.REPORT;
const EXPECT = process.env.EXPECT;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 60_000);

const SIZES = [
  { name: 'phone', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
  { name: 'desktop', options: { viewport: { width: 1280, height: 900 } } },
];

const { log, launch, succeed, run } = driver('report', 'report driver failed', TIMEOUT_MS);

async function main() {
  for (const [name, value] of [['REPORT', REPORT], ['EXPECT', EXPECT], ['SCREENSHOT_DIR', SCREENSHOT_DIR]]) {
    if (!value) throw new Error(`${name} is not set`);
  }
  const expected = JSON.parse(fs.readFileSync(EXPECT, 'utf8'));
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const url = pathToFileURL(path.resolve(REPORT)).href;
  const browser = await launch();
  const sizes = [];
  const shots = [];
  const found = [];
  for (const size of SIZES) {
    const context = await browser.newContext(size.options);
    // A report opens from disk: anything fetched from elsewhere is a bug, refused and reported.
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (/^(file|data|about):/.test(u)) return route.continue();
      found.push(`${size.name}: the page asked for ${u}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => found.push(`${size.name}: script error ${e.message}`));
    await page.goto(url, { waitUntil: 'load' });
    const measured = await page.evaluate(measure, '.charts');
    found.push(...problems(size.name, measured, expected));
    const file = path.join(SCREENSHOT_DIR, `report-${size.name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    log(`screenshot ${file}`);
    shots.push(file);
    sizes.push({ name: size.name, columns: measured.columns, charts: measured.charts });
    await context.close();
  }
  if (found.length) throw new Error(`\n  ${found.join('\n  ')}`);
  await succeed({ sizes, screenshots: shots });
}

run(main);
