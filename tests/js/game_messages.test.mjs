// The sentences the arcade page shows players (assets/game/messages.js): the server's, in the
// player's language, and plain words of the page's own only where an answer has none.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { boughtMessage, friendlyError, receiptText, refusedMessage, usedMessage } from '../../assets/game/messages.js';
import { applyTexts } from '../../assets/game/texts.js';

test("a failure is the server's sentence for a refusal, plain words otherwise", () => {
  assert.equal(friendlyError({ status: 409, code: 'sold_out', message: 'Sold out — all 10 are gone.' }), 'Sold out — all 10 are gone.');
  assert.equal(friendlyError({ status: 0, message: 'TypeError: fetch failed' }), 'Cannot reach the mine. Check your connection and try again.');
  assert.equal(friendlyError({ status: 429, message: 'rate limited' }), "You're tapping very fast — wait a moment and try again.");
  assert.equal(friendlyError({ status: 503, message: 'busy' }), 'The mine is busy right now — try again in a moment.');
  assert.equal(friendlyError({ status: 500, message: 'internal: redis' }), 'Something went wrong — please try again.');
  assert.equal(friendlyError(null), 'Cannot reach the mine. Check your connection and try again.');
});

test("the receipt, a used item and a bought upgrade are the server's sentences", () => {
  assert.equal(receiptText({ id: 'rush', name: 'Rush Hour', receipt_text: 'Rush Hour is in your inventory.' }), 'Rush Hour is in your inventory.');
  assert.equal(receiptText({ id: 'rush', name: 'Rush Hour' }), 'Rush Hour.', 'an answer without one names the item');
  assert.equal(usedMessage('Energy', { message: 'Энергия: 10/10.', energy: 10, energy_max: 10 }), 'Энергия: 10/10.');
  assert.equal(usedMessage('Energy', { energy: 1500, energy_max: 2000 }), 'Energy · 1,500/2,000');
  assert.deepEqual(boughtMessage({ gems: 5, message: 'Steady Hands is now level 2: +2s per run. 5 💎 left.' }), {
    ok: true,
    text: 'Steady Hands is now level 2: +2s per run. 5 💎 left.',
  });
});

test('a refused upgrade shows the refusal; asking again for what one has is no failure', () => {
  const refused = (status, code) => refusedMessage({ status, code, message: `said ${code}` });
  assert.deepEqual(refused(409, 'already_have'), { ok: true, text: 'said already_have' }, 'a double tap');
  assert.deepEqual(refused(409, 'not_next'), { ok: false, text: 'said not_next' });
  assert.deepEqual(refused(422, 'not_enough_gems'), { ok: false, text: 'said not_enough_gems' });
  assert.deepEqual(refused(404, null), { ok: false, text: "That isn't offered any more." });
  assert.deepEqual(refusedMessage({ status: 503, message: 'x' }), { ok: false, text: 'The mine is busy right now — try again in a moment.' });
});

test("the page's own words follow the server's language once it has answered", () => {
  applyTexts({ lang: 'ru', texts: { 'page-up-gone': 'Этого больше нет в продаже.', 'page-offline': 'Нет связи с шахтой.' } }, null);
  assert.deepEqual(refusedMessage({ status: 404 }), { ok: false, text: 'Этого больше нет в продаже.' });
  assert.equal(friendlyError({ status: 0 }), 'Нет связи с шахтой.');
  assert.equal(usedMessage('Кирка', { energy: 1500, energy_max: 2000 }), 'Кирка · 1\u00a0500/2\u00a0000', 'numbers as Russian writes them');
  applyTexts({ lang: 'en', texts: {} }, null);
});
