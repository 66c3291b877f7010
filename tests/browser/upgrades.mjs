#!/usr/bin/env node
// Spends gems on upgrades in the Starmine Rush page in headless Chromium, like a player on a phone.
//
//   GAME_URL=http://127.0.0.1:8080/game/?token=... SCREENSHOT_DIR=/tmp/shots node tests/browser/upgrades.mjs
//
// Environment:
//   GAME_URL        the game page, with its ?token=... (required)
//   SCREENSHOT_DIR  where the PNGs go (required; created if missing)
//   BUY_ITEM        optional item id bought in the page's shop first (a Gem Pack): prints
//                   "INVOICE_LINK <link>" on stderr for the test to pay, waits until it is paid
//   ELSEWHERE       optional `track:level`: that level is bought through the API behind the page's
//                   back (as from the chat), then the page's now stale button for it is tapped
//   DOUBLE_TAP      optional track id: its button is tapped twice in quick succession
//   TAP             optional `id,id`: these upgrade buttons are tapped one after another
//   PLAY            `1`: play one whole run at the end
//   DESKTOP         optional `WxH` (e.g. 1280x800): open home in a desktop-sized window too
//   CHROMIUM        browser binary (default /usr/bin/chromium; never downloaded)
//   TIMEOUT_MS      overall limit (default 180000)
//
// Every step reports the messages the page showed (toasts, counted as they are drawn) and a
// snapshot of home as the player sees it: gems, energy, the arcade allowance, the run length and
// each upgrade's level, effect, button and the reason beside it. Layout problems (the page wider
// than the window, an upgrade button under 40 px or with its label cut) are reported too.
//
// Output: one JSON line on stdout
//   {"home":{...},"bought":{...}|null,"elsewhere":{...}|null,"double_tap":{...}|null,"taps":[...],
//    "played":{...}|null,"layout":[...],"screenshots":[...]}
// and exit 0; on any failure the reason goes to stderr and the exit code is 1.

import fs from 'node:fs';
import { driver, tid } from './chromium.mjs';
import { buyInShop, gamePage, openHome, playRun } from './game_page.mjs';

const GAME_URL = process.env.GAME_URL;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const BUY_ITEM = process.env.BUY_ITEM || '';
const ELSEWHERE = (process.env.ELSEWHERE || '').split(':').filter(Boolean);
const DOUBLE_TAP = process.env.DOUBLE_TAP || '';
const TAP = (process.env.TAP || '').split(',').filter(Boolean);
const PLAY = process.env.PLAY === '1';
const DESKTOP = (process.env.DESKTOP || '').split('x').map(Number);
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 180_000);
/// After an outcome's message, how long a second message (or request) would have had to show.
const SETTLE_MS = 800;

const { log, launch, succeed, run } = driver('upgrades', 'upgrades driver failed', TIMEOUT_MS);

const isUpgradePost = (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/upgrades';

// Counts every message the page draws in either toast (each text it is given is one message).
function watchMessages() {
  window.__messages = [];
  document.addEventListener('DOMContentLoaded', () => {
    for (const [id, kind] of [['toast', 'error'], ['toast-ok', 'notice']]) {
      const node = document.getElementById(id);
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'childList' && r.addedNodes.length) window.__messages.push({ kind, text: node.textContent.trim() });
        }
      }).observe(node, { childList: true });
    }
  });
}

// Home as the player sees it.
function snapshot() {
  const text = (n) => (n ? n.textContent.trim().replace(/\s+/g, ' ') : null);
  const shown = (n) => (n && !n.hidden ? text(n) : null);
  const rows = (list) =>
    [...document.querySelectorAll(`#${list} > li`)].map((li) => {
      const btn = li.querySelector('.up-buy');
      return {
        id: li.dataset.testid.replace(/^(track|cosmetic)-/, ''),
        level: text(li.querySelector('.up-level')),
        meter: li.querySelectorAll('.meter i.on').length,
        now: text(li.querySelector('.up-now')),
        button: text(btn),
        disabled: Boolean(btn && btn.disabled),
        side: text(li.querySelector('.up-side')),
        owned: li.classList.contains('owned'),
      };
    });
  return {
    gems: text(document.getElementById('gems')),
    energy: text(document.querySelector('[data-testid="energy"]')),
    allowance: shown(document.getElementById('arcade-left')),
    run: text(document.getElementById('run-seconds')),
    have: text(document.getElementById('up-gems')),
    tracks: rows('track-list'),
    cosmetics: rows('cosmetic-list'),
  };
}

// What looks off: the page wider than the window, an upgrade button too small to tap or with its
// label cut, anything in the upgrades card sticking out of it.
function layoutProblems() {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  const card = document.getElementById('upgrades-card').getBoundingClientRect();
  for (const node of document.querySelectorAll('#upgrades-card *')) {
    const r = node.getBoundingClientRect();
    if (r.width && (r.right > card.right + 0.5 || r.left < card.left - 0.5)) {
      problems.push(`${node.className || node.tagName} sticks out of the upgrades card`);
    }
  }
  for (const b of document.querySelectorAll('.up-buy')) {
    const r = b.getBoundingClientRect();
    const name = b.dataset.testid;
    if (r.height < 40 || r.width < 44) problems.push(`${name} is ${Math.round(r.width)}x${Math.round(r.height)} px`);
    if (b.scrollWidth > b.clientWidth + 1) problems.push(`${name}'s label is cut: "${b.textContent.trim()}"`);
  }
  return [...new Set(problems)];
}

async function main() {
  if (!GAME_URL) throw new Error('GAME_URL is not set');
  if (!SCREENSHOT_DIR) throw new Error('SCREENSHOT_DIR is not set');
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const shots = [];
  const layout = [];
  const browser = await launch();
  const g = await gamePage(browser, { gameUrl: GAME_URL, dir: SCREENSHOT_DIR, shots, log });
  const { page, shot } = g;
  await g.context.addInitScript(watchMessages);
  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/upgrades') posts.push(r.postData());
  });
  const messages = () => page.evaluate(() => window.__messages.slice());
  const home = () => page.evaluate(snapshot);
  const checkLayout = async (where) => {
    for (const problem of await page.evaluate(layoutProblems)) layout.push(`${where}: ${problem}`);
  };
  const showCard = async (name) => {
    await page.locator(tid('upgrades')).evaluate((card) => card.scrollIntoView({ block: 'start' }));
    await shot(name);
  };

  // Taps (once, or twice as fast as a thumb can) and waits for the outcome's message, then a
  // moment for a second message or request; returns what happened.
  const tapAndSettle = async (id, times) => {
    const btn = page.locator(tid(`up-${id}`));
    await btn.scrollIntoViewIfNeeded();
    const label = ((await btn.textContent()) || '').trim();
    const before = { posts: posts.length, messages: (await messages()).length };
    const answered = page.waitForResponse(isUpgradePost);
    const box = await btn.boundingBox();
    for (let i = 0; i < times; i++) await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    const status = (await answered).status();
    await page.waitForFunction((n) => window.__messages.length > n, before.messages);
    await page.waitForTimeout(SETTLE_MS);
    await page.waitForLoadState('networkidle');
    const after = await messages();
    return { label, status, posts: posts.slice(before.posts), messages: after.slice(before.messages), home: await home() };
  };

  // 1. Home
  await openHome(g, GAME_URL, log);
  await g.waitVisibleOrError(tid('upgrades'));
  const opened = await home();
  await shot('01-home.png');
  await showCard('02-upgrades.png');
  await checkLayout('phone, at the start');

  // 2. Optional: gems from the shop make more levels affordable
  let bought = null;
  if (BUY_ITEM) {
    bought = await buyInShop(g, BUY_ITEM, { dir: SCREENSHOT_DIR, log, shots: { paid: '03-shop-paid.png' } });
    await page.locator(tid('back')).click();
    await g.waitVisibleOrError(`${tid('play')}:not([disabled])`);
    await page.waitForLoadState('networkidle');
    bought.home = await home();
  }

  // 3. Optional: a level bought elsewhere, then the page's stale button for it
  let elsewhere = null;
  if (ELSEWHERE.length === 2) {
    const [id, level] = ELSEWHERE;
    const direct = await page.evaluate(
      async ({ id, level }) => {
        const token = new URLSearchParams(location.search).get('token');
        const r = await fetch('/api/upgrades', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ id, level: Number(level) }),
        });
        return { status: r.status, body: await r.json() };
      },
      { id, level },
    );
    log(`bought ${id} ${level} behind the page's back: HTTP ${direct.status}`);
    elsewhere = { direct_status: direct.status, ...(await tapAndSettle(id, 1)) };
    log(`stale tap on ${id}: HTTP ${elsewhere.status}, ${JSON.stringify(elsewhere.messages)}`);
  }

  // 4. Optional: a double tap
  let doubleTap = null;
  if (DOUBLE_TAP) {
    doubleTap = await tapAndSettle(DOUBLE_TAP, 2);
    log(`double tap on ${DOUBLE_TAP}: ${doubleTap.posts.length} request(s), ${JSON.stringify(doubleTap.messages)}`);
    await shot('04-double-tapped.png');
  }

  // 5. Optional: more taps
  const taps = [];
  for (const id of TAP) {
    const tapped = await tapAndSettle(id, 1);
    log(`tap on ${id}: HTTP ${tapped.status}, ${JSON.stringify(tapped.messages)}`);
    taps.push({ id, ...tapped });
  }
  await page.locator(tid('notice')).waitFor({ state: 'hidden', timeout: 6000 }).catch(() => {});
  await showCard('05-upgrades-after.png');
  await checkLayout('phone, after buying');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('06-home-after.png');

  // 6. Optional: a run, as long as the levels make it
  let played = null;
  if (PLAY) {
    const runShown = ((await page.locator('#run-seconds').textContent()) || '').trim();
    const { run: started, result } = await playRun(g, { log, midShot: '07-playing.png' });
    const note = page.locator(tid('daily-note'));
    played = {
      run_shown: runShown,
      seconds: started.seconds,
      score: result.score,
      gems_awarded: result.gems_awarded,
      daily_limit_reached: result.daily_limit_reached,
      gems_left_today: result.gems_left_today,
      gems_shown: ((await page.locator(tid('gems-awarded')).textContent()) || '').trim(),
      note: (await note.isVisible()) ? ((await note.textContent()) || '').trim() : null,
    };
    await shot('08-results.png');
  }
  g.checkErrors();

  // 7. Optional: home in a desktop-sized window
  if (DESKTOP.length === 2 && DESKTOP.every((n) => n > 0)) {
    const desk = await gamePage(browser, {
      gameUrl: GAME_URL,
      dir: SCREENSHOT_DIR,
      shots,
      log,
      contextOptions: { viewport: { width: DESKTOP[0], height: DESKTOP[1] } },
    });
    await openHome(desk, GAME_URL, log);
    await desk.waitVisibleOrError(tid('upgrades'));
    await desk.shot('09-desktop-home.png', true);
    for (const problem of await desk.page.evaluate(layoutProblems)) layout.push(`desktop: ${problem}`);
    await desk.context.close();
    desk.checkErrors();
  }

  await succeed({ home: opened, bought, elsewhere, double_tap: doubleTap, taps, played, layout, screenshots: shots });
}

run(main);
