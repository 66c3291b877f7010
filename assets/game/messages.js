// The sentences the game page shows players: failures, receipts, what a used item did, the
// outcome of an upgrade. The server writes them in the player's language (the shop's
// `receipt_text`, /api/use's and /api/upgrades' `message`, a refusal's `error` with its `code`);
// the English here is only for an answer that lacks one. Pure: no DOM, so `node --test` loads
// it (tests/js/game_messages.test.mjs).

import { fmt } from './format.js';
import { say } from './texts.js';

// One human sentence for a failed call: the server's own when it wrote one for players (a
// refusal with a code), else what happened in plain words — never a raw API error string.
export function friendlyError(e) {
  if (e && e.code) return e.message;
  const status = e ? e.status : 0;
  if (status === 0) return say('page-offline', 'Cannot reach the mine. Check your connection and try again.');
  if (status === 429) return say('page-too-fast', "You're tapping very fast — wait a moment and try again.");
  if (status === 503) return say('page-busy', 'The mine is busy right now — try again in a moment.');
  return say('page-went-wrong', 'Something went wrong — please try again.');
}

// What happens next with a bought item, in one sentence for the order box.
export function receiptText(item) {
  return item.receipt_text || `${item.name || item.id}.`;
}

// The notice after POST /api/use answered `res` for the item called `name`.
export function usedMessage(name, res) {
  return res.message || `${name} · ${fmt(res.energy)}/${fmt(res.energy_max)}`;
}

// An upgrade bought: { ok, text } from the server's answer `res`.
export function boughtMessage(res) {
  return { ok: true, text: res.message || `${fmt(res.gems)} 💎` };
}

// The server's refusal `e` of an upgrade: asking for what one already has is no failure.
export function refusedMessage(e) {
  if (e.status === 404) return { ok: false, text: say('page-up-gone', "That isn't offered any more.") };
  return { ok: e.code === 'already_have', text: friendlyError(e) };
}
