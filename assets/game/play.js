// The run loop: Play asks the server for a run (POST /api/runs), counts down, then advances the
// run (run.js) each frame and on a slower timer that keeps going in a hidden tab, draws it
// (render.js, hud.js), turns taps into mining, and at the end sends the finish and shows the
// results. The run on the board and the board's size live here, in `current` and `view`.

import { $, el } from './dom.js';
import { dpr } from './art.js';
import { paintCaveWall } from './cave.js';
import { drawOreArt } from './draw.js';
import { resetHud, showScore, showTimesUp, updateComboHud, updateTimer } from './hud.js';
import { setSkin } from './look.js';
import { clamp, prng } from './math.js';
import { renderBoard } from './render.js';
import { prepareResults, settleResults } from './results.js';
import { advance, newRun, observe, tap } from './run.js';
import { show, showError } from './screens.js';
import { api, haptic } from './session.js';
import { skinOf } from './skins.js';
import { look, ui } from './state.js';
import { say } from './texts.js';

const COUNTDOWN_STEP_MS = 700;
const now = () => performance.now();

const board = $('board');
const wrap = $('board-wrap');
const bctx = board.getContext('2d');
let current = null; // the run on the board
let view = { w: 0, h: 0, ratio: 1, bg: null };
let rafId = 0;
let fallbackTimer = 0;

// Fits the board to its box (and the device's pixel ratio): a new cave wall and dust, and ores
// kept inside.
export function resizeBoard() {
  const w = Math.max(1, wrap.clientWidth);
  const h = Math.max(1, wrap.clientHeight);
  const ratio = dpr();
  if (w === view.w && h === view.h && ratio === view.ratio && view.bg && view.skin === look.skin) return;
  view = { w, h, ratio, bg: document.createElement('canvas'), skin: look.skin };
  board.width = Math.round(w * ratio);
  board.height = Math.round(h * ratio);
  view.bg.width = board.width;
  view.bg.height = board.height;
  const bg = view.bg.getContext('2d');
  bg.setTransform(ratio, 0, 0, ratio, 0, 0);
  paintCaveWall(bg, w, h, 'board', skinOf(look.skin).accent, true);
  view.dust = [];
  const rand = prng('dust');
  for (let i = 0; i < 34; i++) view.dust.push({ x: rand() * w, y: rand() * h, s: 0.6 + rand() * 1.6, v: 4 + rand() * 10, p: rand() * 6 });
  if (current) {
    for (const o of current.ores) {
      o.x = clamp(o.x, o.r + 4, Math.max(o.r + 4, w - o.r - 4));
      o.y = clamp(o.y, o.r + 4, Math.max(o.r + 4, h - o.r - 4));
    }
  }
}

export async function startRun() {
  if (ui.busy) return;
  ui.busy = true;
  $('play-btn').disabled = true;
  $('again-btn').disabled = true;
  let res;
  try {
    res = await api('POST', '/api/runs', {});
  } catch (e) {
    ui.busy = false;
    $('play-btn').disabled = false;
    $('again-btn').disabled = false;
    if (e.status !== 401) showError(e.message);
    return;
  }
  current = newRun(res);
  setSkin(current.skin);
  resetHud(current);
  show('playing');
  resizeBoard();
  startLoop();
  runCountdown(current);
  ui.busy = false;
  $('play-btn').disabled = false;
  $('again-btn').disabled = false;
}

function runCountdown(run) {
  const cd = $('countdown');
  const steps = ['3', '2', '1'];
  const begin = now();
  steps.forEach((label, i) => {
    setTimeout(() => {
      if (current !== run || run.phase !== 'countdown') return;
      cd.textContent = '';
      cd.appendChild(el('span', '', label));
    }, i * COUNTDOWN_STEP_MS);
  });
  const goAt = steps.length * COUNTDOWN_STEP_MS;
  setTimeout(() => {
    if (current !== run || run.phase !== 'countdown') return;
    run.phase = 'playing';
    run.startAt = begin + goAt;
    cd.textContent = '';
    cd.appendChild(el('span', 'go', say('page-mine', 'Mine!')));
    setTimeout(() => {
      if (cd.firstChild && cd.firstChild.classList.contains('go')) cd.textContent = '';
    }, 650);
  }, goAt);
}

// An ore's art drawn once, at the board's pixel ratio.
function makeSprite(ore) {
  const ratio = view.ratio;
  const pad = 10;
  const size = (ore.r + pad) * 2;
  const c = document.createElement('canvas');
  c.width = Math.ceil(size * ratio);
  c.height = Math.ceil(size * ratio);
  const ctx = c.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  drawOreArt(ctx, ore.tier, size / 2, size / 2, ore.r, prng(`rock${ore.id}`), ore.rock);
  return { canvas: c, size };
}

// Advances the run on the board to `ts` (performance.now()), and finishes it when it ends.
function tick(ts) {
  const run = current;
  if (advance(run, ts, view, makeSprite)) finishRun(run);
}

function onPointerDown(e) {
  if (!current || ui.screen !== 'playing') return;
  e.preventDefault();
  const run = current;
  tick(now());
  if (run.phase !== 'playing') return;
  const rect = board.getBoundingClientRect();
  const points = tap(run, e.clientX - rect.left, e.clientY - rect.top, view);
  if (points === null) {
    updateComboHud(run, run.t, false);
    return;
  }
  showScore(run);
  updateComboHud(run, run.t, true);
  haptic('light');
}

// The run ended: the banner, the finish request, and the results while it flies.
function finishRun(run) {
  showTimesUp();
  haptic('heavy');
  const score = run.score;
  const mined = run.mined;
  run.finish = api('POST', `/api/runs/${encodeURIComponent(run.runId)}/finish`, { score, mined }).then(
    (res) => ({ ok: true, res }),
    (err) => ({ ok: false, err }),
  );
  // results while the request flies
  prepareResults(run);
  setTimeout(() => {
    if (current !== run || ui.screen !== 'playing') return;
    show('results');
  }, 1100);
  run.finish.then((out) => {
    if (current === run) settleResults(run, out);
  });
}

// The run on the board stops where it is (the game link expired).
export function abandonRun() {
  if (current) current.phase = 'over';
}

function startLoop() {
  if (!rafId) rafId = requestAnimationFrame(frame);
  // Logic keeps going even when frames are throttled (a hidden tab), so the run always ends.
  if (!fallbackTimer) fallbackTimer = setInterval(() => tick(now()), 250);
}

export function stopLoop() {
  if (rafId) cancelAnimationFrame(rafId);
  rafId = 0;
  if (fallbackTimer) clearInterval(fallbackTimer);
  fallbackTimer = 0;
}

function frame(ts) {
  rafId = 0;
  if (ui.screen !== 'playing' || !current) return;
  const run = current;
  tick(ts);
  const dt = run.lastFrame ? clamp(ts - run.lastFrame, 0, 50) : 16;
  run.lastFrame = ts;
  renderBoard(bctx, view, run, ts, dt);
  updateTimer(run);
  rafId = requestAnimationFrame(frame);
}

// What the browser tests see (window.starmineRush.state()): the run as it stands, never advanced
// by looking.
export function observeRun() {
  return observe(current, ui.screen, look.skin, now());
}

// Taps on the board mine; no context menu on a long press.
export function wireBoard() {
  board.addEventListener('pointerdown', onPointerDown);
  board.addEventListener('contextmenu', (e) => e.preventDefault());
}
