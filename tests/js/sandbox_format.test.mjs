// How the sandbox page writes numbers, times and names (assets/sandbox/format.js). Times are local,
// so the moments here are built in local time.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { avatarColor, clock, dayLabel, energyText, fmt, gameTitle, initials, prettyId, timeLeft, userLabel, whenMs } from '../../assets/sandbox/format.js';

const local = (...parts) => new Date(...parts);
const unix = (date) => Math.floor(date.getTime() / 1000);
const NOW = local(2024, 2, 3, 15, 30); // March 3, 2024, 15:30

test('counts get separators; what is no number is a dash', () => {
  assert.deepEqual([fmt(12500), fmt('7'), fmt(0), fmt(undefined), fmt('x')], ['12,500', '7', '0', '–', '–']);
});

test('a message time is hh:mm', () => {
  assert.equal(clock(unix(local(2024, 2, 3, 9, 5))), '09:05');
  assert.equal(clock(0), '');
});

test('the date pill says Today, Yesterday, or the date (with the year when it is not this one)', () => {
  assert.equal(dayLabel(unix(local(2024, 2, 3, 0, 1)), NOW), 'Today');
  assert.equal(dayLabel(unix(local(2024, 2, 2, 23, 59)), NOW), 'Yesterday');
  assert.equal(dayLabel(unix(local(2024, 1, 28, 12, 0)), NOW), 'February 28');
  assert.equal(dayLabel(unix(local(2023, 11, 31, 12, 0)), NOW), 'December 31, 2023');
});

test('a moment is its time today, with the date another day', () => {
  assert.equal(whenMs(local(2024, 2, 3, 8, 7).getTime(), NOW), '08:07');
  assert.equal(whenMs(local(2024, 1, 29, 8, 7).getTime(), NOW), 'Feb 29 08:07');
  assert.equal(whenMs(0, NOW), '');
});

test("a boost's time left rounds up to the second", () => {
  assert.deepEqual([timeLeft(0), timeLeft(-1), timeLeft(1), timeLeft(59_000), timeLeft(249_000), timeLeft(3_900_000)], ['ending', 'ending', '1s', '59s', '4m 09s', '1h 05m']);
});

test('ids and names read as people write them', () => {
  assert.deepEqual([prettyId('energy_refill'), prettyId('gold-skin'), prettyId(''), prettyId(null)], ['Energy Refill', 'Gold Skin', '', '']);
  assert.equal(gameTitle('starmine_rush'), 'Starmine Rush');
  assert.equal(gameTitle(''), 'Game');
  assert.deepEqual([initials('Ada (admin)'), initials('bob stone'), initials(''), initials('  ')], ['A', 'BS', '?', '?']);
  assert.equal(userLabel({ name: 'Ada (admin)', admin: true }), 'Ada (admin)');
  assert.equal(userLabel({ name: 'Zoe', admin: true }), 'Zoe · admin');
  assert.equal(userLabel({ name: 'Bob', admin: false }), 'Bob');
});

test('a user keeps one avatar colour', () => {
  assert.equal(avatarColor(1001), avatarColor(1001));
  assert.equal(avatarColor(1001), avatarColor(1009), 'eight colours in turn');
  assert.notEqual(avatarColor(1001), avatarColor(1002));
  assert.equal(avatarColor(-1001), avatarColor(1001));
  assert.match(avatarColor('not a number'), /^#[0-9a-f]{6}$/);
});

test("the panel's energy: the bot's count first, else the stored record", () => {
  assert.equal(energyText({ energy_now: 7, energy_max: 10 }), '7/10');
  assert.equal(energyText({ energy_max: 10 }), '10');
  assert.equal(energyText({}), 'full');
  assert.equal(energyText({ energy: { value: 3, at: 1 } }), '3');
  assert.equal(energyText({ energy: { now: 4, value: 3 } }), '4');
  assert.equal(energyText({ energy: 1500 }), '1,500');
});
