// Numbers, times and names as the sandbox page writes them. Pure: no DOM, so `node --test` loads
// it (tests/js/sandbox_format.test.mjs). Times are the browser's local time; `now` (a Date) is
// passed in where "today" matters.

const AVATAR_COLORS = ['#e17076', '#7bc862', '#e5ca77', '#65aadd', '#a695e7', '#ee7aae', '#6ec9cb', '#faa774'];

// 1,234, or "–" for what is no number.
export const fmt = (n) => (Number.isFinite(Number(n)) ? Number(n).toLocaleString('en-US') : '–');

function pad2(n) {
  return String(n).padStart(2, '0');
}

// 09:05 for a Bot API date (Unix seconds); nothing for none.
export function clock(unixSeconds) {
  if (!unixSeconds) return '';
  const d = new Date(unixSeconds * 1000);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

// The chat's date pill: Today, Yesterday, March 3 (and the year when it is not this one).
export function dayLabel(unixSeconds, now) {
  const d = new Date(unixSeconds * 1000);
  const yesterday = new Date(now.getTime() - 86_400_000);
  if (d.toDateString() === now.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric' });
}

// A moment in Unix ms: 09:05 today, Mar 3 09:05 another day.
export function whenMs(ms, now) {
  if (!ms) return '';
  const d = new Date(Number(ms));
  const sameDay = d.toDateString() === now.toDateString();
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return sameDay ? time : `${d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} ${time}`;
}

// A boost's time left: 1h 05m, 4m 09s, 12s, or "ending".
export function timeLeft(ms) {
  if (ms <= 0) return 'ending';
  const s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h ${pad2(m)}m`;
  if (m) return `${m}m ${pad2(sec)}s`;
  return `${sec}s`;
}

// "energy_refill" -> "Energy Refill"
export function prettyId(id) {
  return String(id || '')
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

// "Ada (admin)" -> "A", "Bob Stone" -> "BS".
export function initials(name) {
  const words = String(name || '?')
    .replace(/\(.*?\)/g, '')
    .trim()
    .split(/\s+/);
  return ((words[0] || '?').charAt(0) + (words[1] ? words[1].charAt(0) : '')).toUpperCase();
}

// One of Telegram's avatar colours, by user id.
export function avatarColor(id) {
  return AVATAR_COLORS[Math.abs(Number(id) || 0) % AVATAR_COLORS.length];
}

// A user in the switcher: their name, and "· admin" when the name does not say so.
export function userLabel(u) {
  const admin = u.admin && !/admin/i.test(u.name) ? ' · admin' : '';
  return `${u.name}${admin}`;
}

// The game's title from its short name: "starmine_rush" -> "Starmine Rush".
export function gameTitle(shortName) {
  return prettyId(shortName || 'game');
}

// The panel's energy: "7/10" from the bot's own count, else what the stored record says.
export function energyText(p) {
  if (p.energy_now != null && p.energy_max != null) return `${fmt(p.energy_now)}/${fmt(p.energy_max)}`;
  const e = p.energy;
  if (e == null) return p.energy_max != null ? fmt(p.energy_max) : 'full';
  if (typeof e === 'object') return fmt(e.now != null ? e.now : e.value);
  return fmt(e);
}
