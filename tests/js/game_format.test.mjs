// How the arcade page writes numbers and times (assets/game/format.js) and its colours and seeded
// random (assets/game/math.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { clockText, fmt, formatMult, setLocale, untilNextUtcDay } from '../../assets/game/format.js';
import { clamp, mix, prng, rgba, rotate } from '../../assets/game/math.js';

test('counts get thousands separators; nothing is 0', () => {
  assert.deepEqual([fmt(1234567), fmt(0), fmt(null), fmt(undefined), fmt('42')], ['1,234,567', '0', '0', '0', '42']);
});

test('a multiplier shows up to two decimals, ×1 for nothing', () => {
  assert.deepEqual([formatMult(2), formatMult(1.5), formatMult(1.255), formatMult(0), formatMult('x')], ['×2', '×1.5', '×1.25', '×1', '×1']);
});

test('a countdown reads m:ss, or h:mm:ss from an hour, rounding up', () => {
  assert.equal(clockText(0), '0:00');
  assert.equal(clockText(1), '0:01');
  assert.equal(clockText(59_001), '1:00');
  assert.equal(clockText(29 * 60_000 + 58_000), '29:58');
  assert.equal(clockText(3_723_000), '1:02:03');
  assert.equal(clockText(-5_000), '0:00');
});

test('numbers and units follow the language set: Russian spaces, Persian digits', () => {
  setLocale('ru');
  assert.deepEqual([fmt(1500), formatMult(1.5), untilNextUtcDay(new Date(Date.UTC(2024, 2, 3, 23, 20)))], ['1\u00a0500', '×1,5', '40 мин']);
  setLocale('fa');
  assert.deepEqual([fmt(1500), formatMult(2)], ['۱٬۵۰۰', '×۲']);
  setLocale('en');
  assert.deepEqual([fmt(1500), formatMult(1.5)], ['1,500', '×1.5']);
});

test('the allowance refills at the next UTC midnight', () => {
  assert.equal(untilNextUtcDay(new Date(Date.UTC(2024, 2, 3, 19, 0))), '5 hr');
  assert.equal(untilNextUtcDay(new Date(Date.UTC(2024, 2, 3, 23, 20))), '40 min');
  assert.equal(untilNextUtcDay(new Date(Date.UTC(2024, 2, 3, 23, 59, 59, 500))), '1 min');
  assert.equal(untilNextUtcDay(new Date(Date.UTC(2024, 2, 3, 0, 0))), '24 hr');
});

test('numbers clamp, points rotate, colours mix', () => {
  assert.deepEqual([clamp(5, 0, 3), clamp(-1, 0, 3), clamp(2, 0, 3)], [3, 0, 2]);
  const [x, y] = rotate([1, 0], Math.PI / 2);
  assert.ok(Math.abs(x) < 1e-12 && Math.abs(y - 1) < 1e-12);
  assert.equal(rgba('#ff8000', 0.5), 'rgba(255,128,0,0.5)');
  assert.equal(rgba('#fff', 1), 'rgba(255,255,255,1)');
  assert.equal(mix('#000000', '#ffffff', 0.5), 'rgb(128,128,128)');
  assert.equal(mix('#ff0000', '#0000ff', 0), 'rgb(255,0,0)');
});

test('the seeded random repeats for a seed and differs between seeds', () => {
  const draw = (seed) => {
    const rand = prng(seed);
    return Array.from({ length: 8 }, () => rand());
  };
  assert.deepEqual(draw('run-1'), draw('run-1'));
  assert.notDeepEqual(draw('run-1'), draw('run-2'));
  const many = draw('x'.repeat(3)).concat(draw('y'));
  assert.ok(many.every((v) => v >= 0 && v < 1));
});
