// Numbers and times as the game page writes them, in the player's language (the server's `lang`
// from GET /api/me, set by texts.js): digits, separators and plural units come from the
// browser's Intl for that language, so Persian reads ۱٬۵۰۰ and Russian 40 мин. Pure: no DOM,
// so `node --test` loads it (tests/js/game_format.test.mjs).

let locale = 'en-US';

// The language numbers and units are written in from now on ('en', 'ru', 'fa').
export function setLocale(lang) {
  locale = lang === 'en' || !lang ? 'en-US' : lang;
}

// 1,234 (0 for nothing).
export const fmt = (n) => Number(n || 0).toLocaleString(locale);

// ×1.5, ×2 (a score multiplier; ×1 for nothing).
export function formatMult(m) {
  const v = Number(m) || 1;
  return '×' + Number(v.toFixed(2)).toLocaleString(locale, { useGrouping: false, maximumFractionDigits: 2 });
}

// 29:58, or 1:02:03 for an hour or more.
export function clockText(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// `n` of `unit` (an Intl unit: 'hour', 'minute') the short way: "5 hr", "40 мин".
function unitText(n, unit) {
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(n);
}

// How long from `now` (a Date) until the arcade allowance's next (UTC) day: "5 hr", "40 min".
export function untilNextUtcDay(now) {
  const ms = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime();
  const minutes = Math.max(1, Math.ceil(ms / 60000));
  return minutes >= 60 ? unitText(Math.round(minutes / 60), 'hour') : unitText(minutes, 'minute');
}
