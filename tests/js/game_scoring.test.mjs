// The arcade page's score model (assets/game/scoring.js): the bag, the bound of a perfect run, the
// spacing the page picks under the server's ceiling, and one ore's points.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BAG, BAG_SUM, COMBO_MAX_PCT, TIERS, baseBound, comboPct, minIntervalFor, orePoints, scoreBound, spawnSlots } from '../../assets/game/scoring.js';

test('a bag holds the documented 20 spawns worth 435', () => {
  const count = (id) => BAG.filter((t) => t === id).length;
  assert.deepEqual(
    Object.keys(TIERS).map((id) => [id, count(id), TIERS[id].value]),
    [
      ['copper', 7, 10],
      ['silver', 5, 15],
      ['gold', 4, 20],
      ['sapphire', 2, 30],
      ['ruby', 1, 50],
      ['starstone', 1, 100],
    ],
  );
  assert.equal(BAG.length, 20);
  assert.equal(BAG_SUM, 435);
});

test('spawn slots: the first at 250 ms, one per interval, none in the last 500 ms', () => {
  assert.equal(spawnSlots(30_000, 400), 74); // 250, 650, …, 29,450
  assert.equal(spawnSlots(1_150, 400), 2); // 250, 650
  assert.equal(spawnSlots(1_149, 400), 1); // 650 would fall in the last 500 ms
  assert.equal(spawnSlots(750, 400), 1);
  assert.equal(spawnSlots(749, 400), 0);
});

test('the best n spawns take the richest of each fresh bag', () => {
  assert.equal(baseBound(0), 0);
  assert.equal(baseBound(1), 100);
  assert.equal(baseBound(2), 150);
  assert.equal(baseBound(20), 435);
  assert.equal(baseBound(22), 435 + 100 + 50);
});

test('a perfect run mines every slot at the top combo', () => {
  assert.equal(scoreBound(30_000, 400, 100), Math.floor((baseBound(74) * 150) / 100));
  assert.equal(scoreBound(30_000, 400, 200), 2 * scoreBound(30_000, 400, 100));
  assert.equal(scoreBound(500, 400, 100), 0);
});

test('the spacing stays 400 ms without a ceiling or under a loose one', () => {
  assert.equal(minIntervalFor(30_000, 100, null), 400);
  assert.equal(minIntervalFor(30_000, 100, 1_000_000), 400);
});

test("the spacing keeps a perfect run within the server's ceiling, in the fewest 25 ms steps", () => {
  // The server's ceiling: seconds x run_points_per_second x the best multiplier.
  for (const pointsPerSecond of [20, 60, 90]) {
    for (let seconds = 4; seconds <= 60; seconds += 1) {
      for (const percent of [100, 150, 200, 300]) {
        const ceiling = Math.floor((seconds * pointsPerSecond * percent) / 100);
        const durationMs = seconds * 1000;
        const interval = minIntervalFor(durationMs, percent, ceiling);
        const where = `${seconds} s at ${pointsPerSecond}/s ×${percent}%: ${interval} ms`;
        assert.equal((interval - 400) % 25, 0, where);
        if (interval < durationMs) assert.ok(scoreBound(durationMs, interval, percent) <= ceiling, where);
        if (interval > 400) assert.ok(scoreBound(durationMs, interval - 25, percent) > ceiling, `${where} is wider than needed`);
      }
    }
  }
});

test('a combo adds 10 % an ore, up to 50 %', () => {
  assert.deepEqual([1, 2, 3, 6, 7, 20].map(comboPct), [100, 110, 120, 150, 150, 150]);
  assert.equal(COMBO_MAX_PCT, 150);
});

test("one ore's points: value x combo x multiplier, never past the ceiling", () => {
  assert.equal(orePoints(10, 1, 100, 0, null), 10);
  assert.equal(orePoints(100, 6, 200, 0, null), 300);
  assert.equal(orePoints(15, 2, 150, 0, null), 24); // floor(15 x 1.1 x 1.5)
  assert.equal(orePoints(100, 6, 200, 0, 120), 120);
  assert.equal(orePoints(50, 1, 100, 230, 240), 10);
  assert.equal(orePoints(50, 1, 100, 240, 240), 0);
  assert.equal(orePoints(50, 1, 100, 250, 240), 0, 'never negative');
});
