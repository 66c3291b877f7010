// A run's rules (assets/game/run.js) driven as play.js drives them, without a page: the spawn
// schedule, the end, mining and combos, the score ceiling, and the test hook's read-only view.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { advance, newRun, observe, tap } from '../../assets/game/run.js';
import { scoreBound } from '../../assets/game/scoring.js';

const VIEW = { w: 390, h: 640 };
const noSprite = () => null;
const START = 5_000; // performance.now() when mining starts

// A run from POST /api/runs' answer, past its countdown.
function started(res) {
  const run = newRun({ run_id: 'run-1', seconds: 4, score_multiplier: 1, max_score: null, skin: 'classic', ...res });
  run.phase = 'playing';
  run.startAt = START;
  return run;
}

// The run's state without its functions and canvases, to compare two moments or two runs.
function snapshot(run) {
  return JSON.stringify(run, (key, value) => (key === 'rand' || key === 'sprite' ? undefined : value));
}

// Plays `run` to its end in 16 ms frames; `onFrame(run)` acts after each frame (taps). The ores
// seen, by id, with the time each was born.
function play(run, onFrame = () => {}) {
  const born = new Map();
  for (let ts = START; run.phase === 'playing'; ts += 16) {
    advance(run, ts, VIEW, noSprite);
    for (const ore of run.ores) born.set(ore.id, ore.born);
    if (run.phase === 'playing') onFrame(run);
  }
  return born;
}

// Taps every live ore, richest first.
function tapAll(run) {
  const live = run.ores.filter((o) => !o.mined && run.t >= o.born).sort((a, b) => b.value - a.value);
  for (const ore of live) tap(run, ore.x, ore.y, VIEW);
}

test("a run is read from the server's answer", () => {
  const run = newRun({ run_id: 'r', seconds: 12.5, score_multiplier: 1.5, max_score: 900, skin: 'plaid' });
  assert.equal(run.durationMs, 12_500);
  assert.equal(run.multPct, 150);
  assert.equal(run.maxScore, 900);
  assert.equal(run.skin, 'classic', 'an unknown skin is drawn as classic');
  assert.equal(run.phase, 'countdown');
  assert.ok(run.minInterval > 400, 'a tight ceiling spaces the ores further apart');
  assert.equal(newRun({ run_id: 'r', seconds: 30 }).maxScore, null);
  assert.equal(newRun({ run_id: 'r', seconds: 30 }).minInterval, 400);
  assert.equal(newRun({ run_id: 'r', seconds: 30, skin: 'gold' }).skin, 'gold');
});

test('ores spawn from 250 ms, never closer than the spacing, none in the last 500 ms', () => {
  const run = started({ seconds: 10 });
  const born = [...play(run).values()].sort((a, b) => a - b);
  assert.equal(born[0], 250);
  assert.ok(born.length >= 10, `${born.length} ores`);
  for (let i = 1; i < born.length; i++) assert.ok(born[i] - born[i - 1] >= run.minInterval, `${born[i - 1]} then ${born[i]}`);
  assert.ok(born.at(-1) <= run.durationMs - 500, `the last at ${born.at(-1)}`);
  assert.equal(born.length, run.spawned);
});

test('a run ends once, at its duration', () => {
  const run = started({ seconds: 4 });
  assert.equal(advance(run, START + 3_999, VIEW, noSprite), false);
  assert.equal(run.phase, 'playing');
  assert.equal(advance(run, START + 4_000, VIEW, noSprite), true);
  assert.deepEqual([run.phase, run.t], ['over', 4_000]);
  const after = snapshot(run);
  assert.equal(advance(run, START + 9_000, VIEW, noSprite), false);
  assert.equal(snapshot(run), after, 'an ended run stays as it ended');
});

test('a run before its countdown ends does not move', () => {
  const run = newRun({ run_id: 'r', seconds: 4 });
  const before = snapshot(run);
  assert.equal(advance(run, START + 10_000, VIEW, noSprite), false);
  assert.equal(snapshot(run), before);
});

test("a perfect player scores the bound at most, and never more than the server's ceiling", () => {
  const free = started({ seconds: 20, score_multiplier: 2 });
  play(free, tapAll);
  assert.ok(free.score > 0);
  assert.ok(free.score <= scoreBound(free.durationMs, free.minInterval, free.multPct), `${free.score}`);
  assert.equal(free.mined, free.spawned, 'every ore was mined');

  const capped = started({ seconds: 4, max_score: 240 }); // the test data's 4 s x 60 points
  play(capped, tapAll);
  assert.ok(capped.score <= 240, `${capped.score}`);
  // Too short for any spacing to help: one ore, worth more than the whole ceiling.
  const tight = started({ seconds: 1, max_score: 8 });
  play(tight, tapAll);
  assert.deepEqual([tight.mined, tight.score], [1, 8], 'an ore adds only what is left under the ceiling');
});

test('the same run id lays out the same run', () => {
  const a = started({ run_id: 'same' });
  const b = started({ run_id: 'same' });
  play(a, tapAll);
  play(b, tapAll);
  assert.equal(snapshot(a), snapshot(b));
  const c = started({ run_id: 'other' });
  play(c, tapAll);
  assert.notEqual(snapshot(c), snapshot(a));
});

test('ores mined in a row chain a combo; a miss breaks it', () => {
  const run = started({ seconds: 30 });
  let ts = START;
  const nextOre = () => {
    while (!run.ores.some((o) => !o.mined)) advance(run, (ts += 16), VIEW, noSprite);
    return run.ores.find((o) => !o.mined);
  };
  const first = nextOre();
  assert.equal(tap(run, first.x, first.y, VIEW), first.value);
  assert.equal(run.combo, 1);
  const second = nextOre();
  assert.ok(run.t - run.lastMineT <= 1500, 'the next ore comes within the combo window');
  assert.equal(tap(run, second.x, second.y, VIEW), Math.floor((second.value * 110) / 100));
  assert.equal(run.combo, 2);
  assert.equal(tap(run, -500, -500, VIEW), null, 'far from every ore: a miss');
  assert.equal(run.combo, 0);
  const third = nextOre();
  assert.equal(tap(run, third.x, third.y, VIEW), third.value, 'after a miss the chain starts again');
  assert.deepEqual([run.mined, run.score], [3, first.value + Math.floor((second.value * 110) / 100) + third.value]);
});

test('observing a run never advances it', () => {
  const watched = started({ seconds: 4 });
  const twin = started({ seconds: 4 });
  advance(watched, START + 1_000, VIEW, noSprite);
  advance(twin, START + 1_000, VIEW, noSprite);
  const before = snapshot(watched);
  for (const ts of [START + 1_500, START + 3_990, START + 4_000, START + 60_000]) observe(watched, 'playing', 'classic', ts);
  assert.equal(snapshot(watched), before, 'nothing spawned, crumbled or ended');
  const late = observe(watched, 'playing', 'classic', START + 60_000);
  assert.deepEqual([late.phase, late.timeLeftMs, late.ores], ['playing', 0, []], 'past its end, not yet advanced');
  advance(watched, START + 2_000, VIEW, noSprite);
  advance(twin, START + 2_000, VIEW, noSprite);
  assert.equal(snapshot(watched), snapshot(twin), 'the observed run plays on as one never observed');
  assert.equal(watched.rand(), twin.rand(), 'its random draws untouched');
});

test('observing shows the live ores and the time left at that moment', () => {
  const run = started({ seconds: 4, max_score: 240 });
  advance(run, START + 1_000, VIEW, noSprite);
  const seen = observe(run, 'playing', 'classic', START + 1_100);
  assert.equal(seen.timeLeftMs, 2_900);
  assert.deepEqual([seen.screen, seen.phase, seen.durationMs, seen.maxScore, seen.runId], ['playing', 'playing', 4_000, 240, 'run-1']);
  const live = run.ores.filter((o) => 1_100 < o.born + o.life);
  assert.ok(live.length > 0);
  assert.deepEqual(
    seen.ores.map((o) => [o.tier, o.msLeft]),
    live.map((o) => [o.tier.id, o.born + o.life - 1_100]),
  );
  assert.deepEqual(observe(run, 'results', 'classic', START + 1_100).ores, [], 'no ores off the board');
  const counting = newRun({ run_id: 'r', seconds: 4 });
  assert.deepEqual([observe(counting, 'playing', 'gold', 0).timeLeftMs, observe(counting, 'playing', 'gold', 0).skin], [4_000, 'classic']);
  assert.deepEqual(observe(null, 'home', 'gold', 0), {
    screen: 'home',
    phase: null,
    score: 0,
    mined: 0,
    combo: 0,
    timeLeftMs: 0,
    durationMs: 0,
    runId: null,
    maxScore: null,
    multiplier: 1,
    skin: 'gold',
    ores: [],
  });
});
