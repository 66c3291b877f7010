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

// What the page shows, measured in the page.
function measure() {
  const box = (node) => {
    const b = node.getBBox();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  };
  const charts = [...document.querySelectorAll('svg[data-chart]')].map((svg) => {
    const view = svg.viewBox.baseVal;
    const card = svg.parentElement.getBoundingClientRect();
    const legend = svg.querySelector('[data-legend]');
    return {
      id: svg.dataset.chart,
      width: Math.round(svg.getBoundingClientRect().width),
      card: Math.round(card.width),
      view: { width: view.width, height: view.height },
      legend: legend ? box(legend) : null,
      series: [...svg.querySelectorAll('g[data-series]')].map((g) => ({
        name: g.dataset.series,
        run: g.dataset.run,
        shapes: g.querySelectorAll('polyline, rect, circle').length,
        ...box(g),
      })),
    };
  });
  const grid = document.querySelector('.charts');
  const columns = grid ? new Set([...grid.children].map((f) => Math.round(f.getBoundingClientRect().left))).size : 0;
  return { charts, columns, pageWidth: document.documentElement.scrollWidth, window: window.innerWidth };
}

// Every way the measured page falls short of `expected`.
function problems(size, page, expected) {
  const found = [];
  const ids = page.charts.map((c) => c.id);
  const want = expected.charts.map((c) => c.id);
  if (JSON.stringify(ids) !== JSON.stringify(want)) found.push(`charts ${JSON.stringify(ids)}, expected ${JSON.stringify(want)}`);
  if (page.pageWidth > page.window) found.push(`the page is ${page.pageWidth} px wide in a ${page.window} px window`);
  for (const chart of page.charts) {
    const at = `${size}: chart ${chart.id}`;
    const count = (expected.charts.find((c) => c.id === chart.id) || {}).series;
    if (chart.series.length !== count) found.push(`${at} draws ${chart.series.length} series, expected ${count}`);
    if (chart.width < chart.card * 0.9) found.push(`${at} is ${chart.width} px wide in a ${chart.card} px card`);
    const lowest = Math.max(0, ...chart.series.map((s) => s.y + s.height));
    if (chart.legend && chart.legend.y < lowest) found.push(`${at}: the legend (top ${chart.legend.y}) overlaps the data (down to ${lowest})`);
    for (const s of chart.series) {
      const name = `${at} series ${s.name} (${s.run})`;
      if (!(s.shapes > 0 && s.width > 0)) found.push(`${name} has nothing drawn: ${JSON.stringify(s)}`);
      const inside = s.x >= 0 && s.y >= 0 && s.x + s.width <= chart.view.width + 0.5 && s.y + s.height <= chart.view.height + 0.5;
      if (!inside) found.push(`${name} lies outside its SVG: ${JSON.stringify(s)}`);
    }
  }
  return found;
}

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
    const measured = await page.evaluate(measure);
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
