// How the console writes numbers, moments and the webhook (assets/admin/format.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ago, count, isPlayerQuery, passLine, percent, playerTitle, repairs, stars, utcMinute, webhookLines } from '../../assets/admin/format.js';

const NOW = Date.UTC(2026, 11, 2, 15, 0, 0);

test('counts get separators; what is no number is a dash', () => {
  assert.deepEqual([count(12500), count('7'), count(0), count(null), count(undefined), count('x')], ['12,500', '7', '0', '–', '–', '–']);
  assert.deepEqual([stars(1250), stars(0), stars(null)], ['⭐ 1,250', '⭐ 0', '–']);
});

test('a refund rate is a percentage with at most one decimal; none is a dash', () => {
  assert.deepEqual([percent(0.5), percent(0.03125), percent(0), percent(1), percent(null)], ['50%', '3.1%', '0%', '100%', '–']);
});

test('moments read as how long ago', () => {
  assert.equal(ago(NOW - 10_000, NOW), 'just now');
  assert.equal(ago(NOW - 5 * 60_000, NOW), '5 min ago');
  assert.equal(ago(NOW - 3 * 3_600_000, NOW), '3 h ago');
  assert.equal(ago(NOW - 24 * 3_600_000 * 2, NOW), '2 days ago');
  assert.equal(ago(NOW + 60_000, NOW), 'just now', 'a clock a little ahead is no negative time');
});

test('the webhook says how updates arrive, what waits and the last error', () => {
  assert.deepEqual(webhookLines({ url: '', pending_update_count: 0 }, NOW), { mode: 'Long polling', pending: '0', error: 'None' });
  const failing = { url: 'https://bot.example.com/tg', pending_update_count: 1200, last_error_date: NOW / 1000 - 120, last_error_message: 'Connection refused' };
  assert.deepEqual(webhookLines(failing, NOW), {
    mode: 'Webhook at https://bot.example.com/tg',
    pending: '1,200',
    error: 'Connection refused (2 min ago)',
  });
});

test('a player is found by a numeric id or an @username, nothing else', () => {
  assert.deepEqual(['1001', '@ana_digs', 'Ana_Digs'].map(isPlayerQuery), [true, true, true]);
  assert.deepEqual(['', '@ana', '@1digger', 'ana-digs', '12 34', `@${'a'.repeat(33)}`].map(isPlayerQuery), [false, false, false, false, false, false]);
});

test("a player's card is titled with the names they go by and their id", () => {
  assert.equal(playerTitle({ user_id: 1001, name: 'Ana', username: 'ana_digs' }), 'Ana (@ana_digs) · 1001');
  assert.equal(playerTitle({ user_id: 1001, name: 'Ana', username: null }), 'Ana · 1001');
  assert.equal(playerTitle({ user_id: 1001, name: null, username: 'ana_digs' }), '@ana_digs · 1001');
  assert.equal(playerTitle({ user_id: 1001 }), 'Player 1001');
});

test('a reconciliation pass says when it ran and what it repaired, or why it failed', () => {
  const report = { transactions: 1200, payments_recovered: 2, payments_refunded: 0, refunds_recovered: 1, checked: { voided: 0 } };
  assert.equal(repairs(report), '2 payments granted from the ledger, 1 refund revoked');
  assert.equal(repairs({ transactions: 5, checked: {} }), 'nothing');
  assert.deepEqual(passLine({ at_ms: NOW - 120_000, ok: true, report }, NOW, 'never'), {
    text: '2 min ago: 1,200 transactions read, repaired 2 payments granted from the ledger, 1 refund revoked',
    kind: '',
  });
  assert.deepEqual(passLine({ at_ms: NOW - 10_000, ok: false, error: 'Bot API unreachable' }, NOW, 'never'), {
    text: 'just now: failed — Bot API unreachable',
    kind: 'warn',
  });
  assert.deepEqual(passLine(null, NOW, 'No pass yet'), { text: 'No pass yet', kind: '' });
});

test('moments read in UTC to the minute', () => {
  assert.equal(utcMinute(NOW + 59_000), '2026-12-02 15:00 UTC');
  assert.deepEqual([utcMinute(null), utcMinute(undefined)], ['–', '–']);
});
