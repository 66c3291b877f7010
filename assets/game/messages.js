// The sentences the game page shows players: failures, receipts, what a used item did, the
// outcome of an upgrade. Pure: no DOM, so `node --test` loads it (tests/js/game_messages.test.mjs).

import { durationText, fmt, formatMult } from './format.js';
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
  const name = item.name || item.id;
  if (item.kind === 'boost') {
    const secs = Number(item.duration_seconds) || 0;
    return `${name} is in your inventory — press Start to run it for ${durationText(secs)}.`;
  }
  if (item.kind === 'permanent') return `${name} is yours for good — it's already working.`;
  if (item.kind === 'bundle') return `${name} delivered: ${item.delivers || 'everything in it'}.`;
  if (/^\d+ gems$/.test(item.delivers || '')) return `${item.delivers} added to your stash.`;
  if (/energy/.test(item.effect || '')) return `${name} is in your inventory — press Use when you need energy.`;
  return `${name} is in your inventory.`;
}

// What a boost does, without the shop's "for 30m" (its row says how long instead).
export function boostEffect(effect) {
  return effect ? effect.replace(/,? ?for [^,]+$/, '') : '';
}

// The notice after POST /api/use answered `res` for the item called `name`.
export function usedMessage(name, res) {
  if (res.boost) {
    const mult = res.run && Number(res.run.score_multiplier) > 1 ? ` Runs you start now score ${formatMult(res.run.score_multiplier)}.` : '';
    return `${name} is running — ${durationText(res.boost.seconds_left)} left.${mult}`;
  }
  return `${name} used — energy ${fmt(res.energy)}/${fmt(res.energy_max)}.`;
}

// The track `id` in an upgrades answer, or null.
function trackIn(upgrades, id) {
  const tracks = upgrades && Array.isArray(upgrades.tracks) ? upgrades.tracks : [];
  return tracks.find((t) => t.id === id) || null;
}

// An upgrade bought: { ok, text } for `target` ({ kind, id, name, level }) and the server's `res`.
export function boughtMessage(target, res) {
  const left = `${fmt(res.gems)} 💎 left.`;
  if (target.kind !== 'track') return { ok: true, text: `${target.name} is yours — tap the skin pill to wear it. ${left}` };
  const track = trackIn(res.upgrades, target.id);
  const now = track && track.now ? `: ${track.now}` : '';
  return { ok: true, text: `${target.name} is now level ${fmt(target.level)}${now}. ${left}` };
}

// The server's refusal `e` of `target` in the player's words, judged against the player `me` as
// reloaded after it (null when that failed).
export function refusedMessage(target, e, me) {
  const what = target.kind === 'track' ? `${target.name} level ${fmt(target.level)}` : `the ${target.name}`;
  if (e.status === 404) return { ok: false, text: `${target.kind === 'track' ? target.name : 'That look'} isn't offered any more.` };
  if (e.status === 422) {
    const gems = me ? ` — you have ${fmt(me.gems)} 💎` : '';
    return { ok: false, text: `Not enough gems for ${what}${gems}. Dig or play to earn more.` };
  }
  if (e.status !== 409) return { ok: false, text: friendlyError(e) };
  if (target.kind !== 'track') return { ok: true, text: `You already own ${what}.` };
  const track = trackIn(me && me.upgrades, target.id);
  const level = track ? Number(track.level) || 0 : 0;
  if (level >= target.level) return { ok: true, text: `You already have ${what}.` };
  if (!track || !track.next) return { ok: false, text: `${target.name} is maxed out.` };
  return { ok: false, text: `${target.name}: level ${fmt(level + 1)} comes first.` };
}
