// How the console writes numbers and moments. Pure: node's test runner loads it too.

// 12500 -> "12,500"; anything that is not a number -> "–".
export function count(value) {
  const n = Number(value);
  if (value === null || value === undefined || value === '' || !Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

// Stars with their sign: "⭐ 1,250".
export function stars(value) {
  const text = count(value);
  return text === '–' ? text : `⭐ ${text}`;
}

// 0.125 -> "12.5%"; null (nothing to divide by) -> "–".
export function percent(ratio) {
  if (ratio === null || ratio === undefined || !Number.isFinite(Number(ratio))) return '–';
  return `${(Number(ratio) * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

// How long ago `thenMs` was at `nowMs`: "just now", "5 min ago", "3 h ago", "2 days ago".
export function ago(thenMs, nowMs) {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

// hh:mm:ss in local time.
export function clock(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// A webhook status as sentences: how updates arrive, how many wait, the last error.
export function webhookLines(status, nowMs) {
  const mode = status.url ? `Webhook at ${status.url}` : 'Long polling';
  const error = status.last_error_message
    ? `${status.last_error_message} (${ago(status.last_error_date * 1000, nowMs)})`
    : 'None';
  return { mode, pending: count(status.pending_update_count), error };
}

// A numeric user id, or a Telegram @username (5-32 letters, digits or _, starting with a letter).
export function isPlayerQuery(text) {
  return /^\d+$/.test(text) || /^@?[A-Za-z][A-Za-z0-9_]{4,31}$/.test(text);
}

// "Ana (@ana_digs) · 1001": the names the player last wrote to the bot under, and their id.
export function playerTitle(player) {
  const names = [player.name, player.username && `@${player.username}`].filter(Boolean);
  if (!names.length) return `Player ${player.user_id}`;
  const [first, ...rest] = names;
  return `${first}${rest.length ? ` (${rest.join(' ')})` : ''} · ${player.user_id}`;
}

// What a reconciliation pass repaired, in words ("nothing" when it repaired nothing).
export function repairs(report) {
  const parts = [
    [report.payments_recovered, 'payment granted from the ledger', 'payments granted from the ledger'],
    [report.payments_refunded, 'payment refunded', 'payments refunded'],
    [report.refunds_recovered, 'refund revoked', 'refunds revoked'],
    [report.checked?.voided, 'payment voided', 'payments voided'],
  ].filter(([n]) => n > 0).map(([n, one, many]) => `${count(n)} ${n === 1 ? one : many}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

// The console's line for a saved pass ({at_ms, ok, report | error}); `none` when there is none.
// `kind` is 'warn' for a failed pass, '' otherwise.
export function passLine(pass, nowMs, none) {
  if (!pass) return { text: none, kind: '' };
  const when = ago(pass.at_ms, nowMs);
  if (!pass.ok) return { text: `${when}: failed — ${pass.error}`, kind: 'warn' };
  return { text: `${when}: ${count(pass.report.transactions)} transactions read, repaired ${repairs(pass.report)}`, kind: '' };
}

// A moment as UTC to the minute: "2026-12-02 15:04 UTC"; none is a dash.
export function utcMinute(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(Number(ms))) return '–';
  return `${new Date(Number(ms)).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
