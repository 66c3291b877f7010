// The sentences the arcade page shows players (assets/game/messages.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { boostEffect, boughtMessage, friendlyError, receiptText, refusedMessage, usedMessage } from '../../assets/game/messages.js';

test("a failure is the server's sentence for a refusal, plain words otherwise", () => {
  assert.equal(friendlyError({ status: 409, code: 'sold_out', message: 'Sold out — all 10 are gone.' }), 'Sold out — all 10 are gone.');
  assert.equal(friendlyError({ status: 0, message: 'TypeError: fetch failed' }), 'Cannot reach the mine. Check your connection and try again.');
  assert.equal(friendlyError({ status: 429, message: 'rate limited' }), "You're tapping very fast — wait a moment and try again.");
  assert.equal(friendlyError({ status: 503, message: 'busy' }), 'The mine is busy right now — try again in a moment.');
  assert.equal(friendlyError({ status: 500, message: 'internal: redis' }), 'Something went wrong — please try again.');
  assert.equal(friendlyError(null), 'Cannot reach the mine. Check your connection and try again.');
});

test('a receipt says what happens next with each kind of item', () => {
  assert.equal(receiptText({ id: 'rush', name: 'Rush Hour', kind: 'boost', duration_seconds: 60 }), 'Rush Hour is in your inventory — press Start to run it for 1 minute.');
  assert.equal(receiptText({ id: 'pick', name: 'Pickaxe', kind: 'permanent' }), "Pickaxe is yours for good — it's already working.");
  assert.equal(receiptText({ id: 'pack', name: 'Starter Pack', kind: 'bundle', delivers: '2 Crates, 100 gems' }), 'Starter Pack delivered: 2 Crates, 100 gems.');
  assert.equal(receiptText({ id: 'g', name: 'Gem Pouch', kind: 'consumable', delivers: '500 gems' }), '500 gems added to your stash.');
  assert.equal(receiptText({ id: 'energy', kind: 'consumable', effect: '+5 energy' }), 'energy is in your inventory — press Use when you need energy.');
  assert.equal(receiptText({ id: 'crate', name: 'Crate', kind: 'consumable' }), 'Crate is in your inventory.');
});

test("a boost's effect loses the shop's duration", () => {
  assert.equal(boostEffect('×2 score, for 1m'), '×2 score');
  assert.equal(boostEffect('×2 score for 30m'), '×2 score');
  assert.equal(boostEffect('luck +50%'), 'luck +50%');
  assert.equal(boostEffect(undefined), '');
});

test('using an item says what it started or refilled', () => {
  assert.equal(
    usedMessage('Rush Hour', { boost: { seconds_left: 60 }, run: { score_multiplier: 2 } }),
    'Rush Hour is running — 1 minute left. Runs you start now score ×2.',
  );
  assert.equal(usedMessage('Lantern', { boost: { seconds_left: 1800 }, run: { score_multiplier: 1 } }), 'Lantern is running — 30 minutes left.');
  assert.equal(usedMessage('Energy', { energy: 10, energy_max: 10 }), 'Energy used — energy 10/10.');
});

const track = { kind: 'track', id: 'yield', name: 'Sharper Pickaxe', level: 2 };
const look = { kind: 'cosmetic', id: 'dragon', name: 'Dragon Skin' };
const upgrades = (level, next) => ({ tracks: [{ id: 'yield', level, now: `×1.${level}`, next }] });

test('a bought upgrade names the level and what it gives now', () => {
  assert.deepEqual(boughtMessage(track, { gems: 1200, upgrades: upgrades(2, { level: 3 }) }), { ok: true, text: 'Sharper Pickaxe is now level 2: ×1.2. 1,200 💎 left.' });
  assert.deepEqual(boughtMessage(track, { gems: 5, upgrades: { tracks: [] } }), { ok: true, text: 'Sharper Pickaxe is now level 2. 5 💎 left.' });
  assert.deepEqual(boughtMessage(look, { gems: 0 }), { ok: true, text: 'Dragon Skin is yours — tap the skin pill to wear it. 0 💎 left.' });
});

test('a refused upgrade is judged against the player as reloaded', () => {
  const refused = (status, me, target = track) => refusedMessage(target, { status, message: 'x' }, me);
  assert.deepEqual(refused(404, null), { ok: false, text: "Sharper Pickaxe isn't offered any more." });
  assert.deepEqual(refused(404, null, look), { ok: false, text: "That look isn't offered any more." });
  assert.deepEqual(refused(422, { gems: 30 }), { ok: false, text: 'Not enough gems for Sharper Pickaxe level 2 — you have 30 💎. Dig or play to earn more.' });
  assert.deepEqual(refused(422, null, look), { ok: false, text: 'Not enough gems for the Dragon Skin. Dig or play to earn more.' });
  assert.deepEqual(refused(409, null, look), { ok: true, text: 'You already own the Dragon Skin.' });
  assert.deepEqual(refused(409, { upgrades: upgrades(2, { level: 3 }) }), { ok: true, text: 'You already have Sharper Pickaxe level 2.' }, 'a double tap');
  assert.deepEqual(refused(409, { upgrades: upgrades(0, { level: 1 }) }), { ok: false, text: 'Sharper Pickaxe: level 1 comes first.' });
  assert.deepEqual(refused(409, { upgrades: upgrades(1, null) }), { ok: false, text: 'Sharper Pickaxe is maxed out.' });
  assert.deepEqual(refused(503, null), { ok: false, text: 'The mine is busy right now — try again in a moment.' });
});
