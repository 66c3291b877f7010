// Numbers and times as the game page writes them. Pure: no DOM, so `node --test` loads it
// (tests/js/game_format.test.mjs).

// 1,234 (0 for nothing).
export const fmt = (n) => Number(n || 0).toLocaleString('en-US');

// ×1.5, ×2 (a score multiplier; ×1 for nothing).
export function formatMult(m) {
  const v = Number(m) || 1;
  return '×' + String(Number(v.toFixed(2)));
}

// 29:58, or 1:02:03 for an hour or more.
export function clockText(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// 30 minutes, 1 hour, 10 seconds, 1 min 30 s.
export function durationText(seconds) {
  const s = Math.round(Number(seconds) || 0);
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s >= 3600 && s % 3600 === 0) return plural(s / 3600, 'hour');
  if (s >= 60 && s % 60 === 0) return plural(s / 60, 'minute');
  if (s < 60) return plural(s, 'second');
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

// How long from `now` (a Date) until the arcade allowance's next (UTC) day: "5 h", "40 min".
export function untilNextUtcDay(now) {
  const ms = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime();
  const minutes = Math.max(1, Math.ceil(ms / 60000));
  return minutes >= 60 ? `${Math.round(minutes / 60)} h` : `${minutes} min`;
}
