// A run's rules, apart from the page: its state from POST /api/runs' answer, the spawn schedule,
// a tap that mines or misses, and what the test hook observes. Pure: no DOM (the board's size
// comes in as `view`, ore sprites from `makeSprite`), so `node --test` loads it
// (tests/js/game_run.test.mjs). play.js drives it from the page's clock and input.

import { rockShape } from './draw.js';
import { clamp, prng } from './math.js';
import { BAG, COMBO_WINDOW_MS, FIRST_SPAWN_MS, LAST_SPAWN_GAP_MS, TIERS, minIntervalFor, orePoints } from './scoring.js';
import { SKINS, skinOf } from './skins.js';
import { fmt } from './format.js';
import { say } from './texts.js';

const MAX_ORES = 7;
// The run's last seconds, when the timer turns red.
export const lowTimeMs = (run) => Math.min(5000, run.durationMs * 0.3);

export function newRun(res) {
  const durationMs = Math.max(1000, Math.round((Number(res.seconds) || 30) * 1000));
  const multPct = Math.max(1, Math.round((Number(res.score_multiplier) || 1) * 100));
  const maxScore = Number.isFinite(Number(res.max_score)) && Number(res.max_score) > 0 ? Math.floor(Number(res.max_score)) : null;
  const minInterval = minIntervalFor(durationMs, multPct, maxScore);
  const runId = String(res.run_id || '');
  return {
    runId,
    seconds: Number(res.seconds) || durationMs / 1000,
    durationMs,
    multPct,
    multiplier: Number(res.score_multiplier) || 1,
    maxScore,
    minInterval,
    skin: SKINS[res.skin] ? res.skin : 'classic',
    rand: prng(runId || String(Date.now())),
    phase: 'countdown',
    startAt: 0, // performance.now() when mining starts
    t: 0,
    score: 0,
    mined: 0,
    combo: 0,
    bestCombo: 0,
    lastMineT: -1e9,
    nextSpawnT: FIRST_SPAWN_MS,
    spawned: 0,
    bag: [],
    ores: [],
    particles: [],
    floaters: [],
    swings: [],
    shake: 0,
    lastFrame: 0,
    finish: null,
  };
}

// Advances `run` to `ts` (performance.now()): spawns what is due, drops ores that crumbled, and
// ends the run at its duration. True when this call ended it.
export function advance(run, ts, view, makeSprite) {
  if (!run || run.phase !== 'playing') return false;
  const t = ts - run.startAt;
  run.t = t;
  const lastSpawn = run.durationMs - LAST_SPAWN_GAP_MS;
  while (run.nextSpawnT <= t && run.nextSpawnT <= lastSpawn) {
    const st = run.nextSpawnT;
    run.nextSpawnT += Math.max(run.minInterval, spawnInterval(run, st));
    // an ore whose whole life already passed (the tab slept) is not worth spawning
    if (t - st < 1200) spawn(run, st, view, makeSprite);
  }
  run.ores = run.ores.filter((o) => !o.mined && t < o.born + o.life);
  if (t < run.durationMs) return false;
  run.phase = 'over';
  run.t = run.durationMs;
  return true;
}

function drawFromBag(run) {
  if (!run.bag.length) {
    run.bag = BAG.slice();
    for (let i = run.bag.length - 1; i > 0; i--) {
      const j = Math.floor(run.rand() * (i + 1));
      [run.bag[i], run.bag[j]] = [run.bag[j], run.bag[i]];
    }
    // keep the very first ore of a run friendly
    if (run.spawned === 0 && run.bag[0] === 'starstone') [run.bag[0], run.bag[1]] = [run.bag[1], run.bag[0]];
  }
  return TIERS[run.bag.shift()];
}

function spawnInterval(run, t) {
  // Starts relaxed and tightens to minInterval by three quarters of the run.
  const ease = clamp(1 - t / (run.durationMs * 0.75), 0, 1);
  return Math.round(run.minInterval * (1 + 0.6 * ease));
}

function spawn(run, t, view, makeSprite) {
  const alive = run.ores.filter((o) => !o.mined && t < o.born + o.life);
  if (alive.length >= MAX_ORES) return;
  const tier = drawFromBag(run);
  const scale = clamp(Math.min(view.w, view.h) / 360, 0.8, 1.25);
  const r = Math.round(tier.r * scale);
  const pad = 6;
  let pos = null;
  for (let attempt = 0; attempt < 24 && !pos; attempt++) {
    const x = r + pad + run.rand() * Math.max(1, view.w - 2 * (r + pad));
    const y = r + pad + 14 + run.rand() * Math.max(1, view.h - 2 * (r + pad) - 14);
    if (alive.every((o) => Math.hypot(o.x - x, o.y - y) > o.r + r + 12)) pos = [x, y];
  }
  if (!pos) return;
  const seed = prng(`${run.runId}:${run.spawned}`);
  const ore = {
    id: run.spawned,
    tier,
    value: tier.value,
    x: pos[0],
    y: pos[1],
    r,
    born: t,
    life: tier.life,
    mined: false,
    rock: rockShape(seed, r),
    seed: run.spawned * 97,
    sprite: null,
  };
  ore.sprite = makeSprite(ore);
  run.ores.push(ore);
  run.spawned++;
}

function oreAlive(o, t) {
  return !o.mined && t >= o.born && t < o.born + o.life;
}

// A tap at (x, y) on the board at the run's time: mines the nearest live ore within reach, or
// misses. The points it earned, or null for a miss.
export function tap(run, x, y, view) {
  const t = run.t;
  let best = null;
  let bestD = Infinity;
  for (const o of run.ores) {
    if (!oreAlive(o, t)) continue;
    const d = Math.hypot(o.x - x, o.y - y);
    if (d <= o.r + 14 && d < bestD) {
      best = o;
      bestD = d;
    }
  }
  run.swings.push({ x, y, born: t });
  if (best) return mine(run, best, t, view);
  miss(run, x, y, t);
  return null;
}

function mine(run, ore, t, view) {
  ore.mined = true;
  run.combo = t - run.lastMineT <= COMBO_WINDOW_MS && run.combo > 0 ? run.combo + 1 : 1;
  run.lastMineT = t;
  run.bestCombo = Math.max(run.bestCombo, run.combo);
  const points = orePoints(ore.value, run.combo, run.multPct, run.score, run.maxScore);
  run.score += points;
  run.mined++;
  const skin = skinOf(run.skin);
  // shards in the ore's colours, sparks in the skin's
  const rand = run.rand;
  const shardN = ore.tier.id === 'starstone' ? 22 : 14;
  for (let i = 0; i < shardN; i++) {
    const a = rand() * Math.PI * 2;
    const sp = 120 + rand() * 260;
    run.particles.push({
      kind: 'shard',
      x: ore.x,
      y: ore.y,
      vx: Math.cos(a) * sp,
      vy: Math.sin(a) * sp - 120,
      life: 700 + rand() * 400,
      age: 0,
      size: 3 + rand() * 5,
      rot: rand() * 6,
      vr: (rand() - 0.5) * 14,
      color: ore.tier.pal[Math.floor(rand() * 3)],
    });
  }
  for (let i = 0; i < 10; i++) {
    const a = rand() * Math.PI * 2;
    const sp = 200 + rand() * 260;
    run.particles.push({ kind: 'spark', x: ore.x, y: ore.y, vx: Math.cos(a) * sp, vy: Math.sin(a) * sp, life: 350 + rand() * 250, age: 0, size: 2, color: skin.spark[i % 3] });
  }
  for (let i = 0; i < 5; i++) {
    const a = rand() * Math.PI * 2;
    run.particles.push({ kind: 'dust', x: ore.x + Math.cos(a) * ore.r * 0.5, y: ore.y + Math.sin(a) * ore.r * 0.5, vx: Math.cos(a) * 30, vy: Math.sin(a) * 30 - 10, life: 600, age: 0, size: ore.r * 0.5, color: '#8a7f96' });
  }
  run.particles.push({ kind: 'ring', x: ore.x, y: ore.y, vx: 0, vy: 0, life: 380, age: 0, size: ore.r, color: ore.tier.pal[1] });
  run.floaters.push({ x: ore.x, y: ore.y - ore.r * 0.4, text: `+${points}`, color: ore.tier.pal[0], edge: ore.tier.pal[2], born: t, life: 900, size: ore.value >= 50 ? 30 : ore.value >= 20 ? 26 : 22 });
  if (ore.tier.id === 'starstone') {
    run.floaters.push({ x: ore.x, y: ore.y + ore.r * 0.7, text: 'STARSTONE!', color: '#ffffff', edge: '#5b22c9', born: t, life: 1100, size: 16 });
  }
  if (run.combo >= 3 && (run.combo <= 6 || run.combo % 5 === 0)) {
    run.floaters.push({ x: view.w / 2, y: view.h * 0.16, text: `${say('page-combo', 'Combo')} ×${fmt(run.combo)}`, color: skin.accent, edge: '#1a0d00', born: t, life: 800, size: 24, center: true });
  }
  run.shake = Math.max(run.shake, ore.value >= 50 ? 7 : ore.value >= 30 ? 4 : 2);
  return points;
}

function miss(run, x, y, t) {
  if (run.combo > 1) run.floaters.push({ x, y: y - 10, text: 'combo lost', color: '#c9bfd6', edge: '#000000', born: t, life: 700, size: 14 });
  run.combo = 0;
  const rand = run.rand;
  for (let i = 0; i < 6; i++) {
    const a = -Math.PI / 2 + (rand() - 0.5) * 2.4;
    run.particles.push({ kind: 'dust', x, y, vx: Math.cos(a) * (40 + rand() * 60), vy: Math.sin(a) * (40 + rand() * 60), life: 500, age: 0, size: 5 + rand() * 5, color: '#6e6478' });
  }
  for (let i = 0; i < 4; i++) {
    const a = rand() * Math.PI * 2;
    run.particles.push({ kind: 'spark', x, y, vx: Math.cos(a) * 160, vy: Math.sin(a) * 160, life: 200, age: 0, size: 1.5, color: '#d8d0e0' });
  }
}

// What the run shows at `ts` (performance.now()) on `screen`, for the browser tests' hook: read
// only, so observing never spawns, ends or otherwise advances the run.
export function observe(run, screen, skin, ts) {
  let t = run ? run.t : 0;
  if (run && run.phase === 'playing') t = Math.max(run.t, ts - run.startAt);
  const playing = screen === 'playing' && run && run.phase === 'playing' && t < run.durationMs;
  let timeLeftMs = 0;
  if (run) {
    if (run.phase === 'countdown') timeLeftMs = run.durationMs;
    else if (run.phase === 'playing') timeLeftMs = Math.max(0, Math.round(run.durationMs - t));
  }
  return {
    screen,
    phase: run ? run.phase : null,
    score: run ? run.score : 0,
    mined: run ? run.mined : 0,
    combo: run ? run.combo : 0,
    timeLeftMs,
    durationMs: run ? run.durationMs : 0,
    runId: run ? run.runId : null,
    maxScore: run ? run.maxScore : null,
    multiplier: run ? run.multiplier : 1,
    skin: run ? run.skin : skin,
    ores: playing
      ? run.ores
          .filter((o) => oreAlive(o, t))
          .map((o) => ({
            x: Math.round(o.x * 10) / 10,
            y: Math.round(o.y * 10) / 10,
            r: o.r,
            value: o.value,
            tier: o.tier.id,
            msLeft: Math.round(o.born + o.life - t),
          }))
      : [],
  };
}
