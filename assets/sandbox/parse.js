// Reading what the bot and the game page show: the links, /commands and charge ids in a bot's
// text, invoice links, the game's URL on this page's origin, an amount of Stars. Pure: no DOM, so
// `node --test` loads it (tests/js/sandbox_parse.test.mjs).

// Links, /commands (with the item of "/buy item" and "/use item") and charge ids.
const TOKEN_RE =
  /(https?:\/\/[^\s<>"')]+)|(^|[\s(])(\/[a-z][a-z0-9_]{0,31}(?:(?<=\/(?:buy|use)) [a-z][a-z0-9_]*)?)(?=$|[\s.,;:!?)])|(\b[Cc]harge id: )([A-Za-z0-9_-]{8,})/gm;

// `text` cut into pieces, in order: { kind: 'text' | 'url' | 'command' | 'charge', text }. The
// pieces' texts joined give `text` back.
export function tokenize(text) {
  const pieces = [];
  let last = 0;
  TOKEN_RE.lastIndex = 0;
  let match;
  while ((match = TOKEN_RE.exec(text))) {
    const [whole, url, lead, cmd, chargeLead, charge] = match;
    let start = match.index;
    let piece;
    if (url) piece = { kind: 'url', text: url };
    else if (cmd) {
      start += lead.length;
      piece = { kind: 'command', text: cmd };
    } else {
      start += chargeLead.length;
      piece = { kind: 'charge', text: charge };
    }
    if (start > last) pieces.push({ kind: 'text', text: text.slice(last, start) });
    pieces.push(piece);
    last = start + piece.text.length;
    if (whole.length === 0) TOKEN_RE.lastIndex++;
  }
  if (last < text.length) pieces.push({ kind: 'text', text: text.slice(last) });
  return pieces;
}

// An invoice link as createInvoiceLink makes them: https://t.me/$<slug>.
export function isInvoiceLink(url) {
  return /^https:\/\/t\.me\/\$[A-Za-z0-9_-]+$/.test(url || '');
}

// The game's URL on the origin of `here` (the page's location): the bot builds the link from its
// PUBLIC_URL, and the page may be open on another host name for the same server (localhost vs
// 127.0.0.1). Same-origin, so the page's WebApp shim reaches into the game's frame.
export function sameOriginGameUrl(url, here) {
  try {
    const u = new URL(url, here.href);
    if (u.origin !== here.origin && u.pathname.startsWith('/game/')) return here.origin + u.pathname + u.search + u.hash;
    return u.href;
  } catch (_) {
    return url;
  }
}

// The first amount in `text` ("Pay 1,500 ⭐" -> 1500), or null.
export function amountIn(text) {
  const n = Number((String(text).match(/\d[\d,]*/) || [''])[0].replace(/,/g, ''));
  return Number.isFinite(n) && n > 0 ? n : null;
}

// The user the page opens as, of `users`: the one the link names (`hash`, "#user=1002"), else
// `saved` (the last one chosen here), else the first who is no admin, else the first; null for
// none.
export function chooseUser(users, hash, saved) {
  const fromHash = userInHash(hash);
  if (users.some((u) => u.id === fromHash)) return fromHash;
  if (users.some((u) => u.id === saved)) return saved;
  const player = users.find((u) => !u.admin);
  return (player || users[0] || { id: null }).id;
}

// The user a link's fragment names ("#user=1002" -> 1002), or 0.
export function userInHash(hash) {
  return Number(new URLSearchParams(String(hash || '').replace(/^#/, '')).get('user'));
}

// A game_data problem or warning, "dir/items.toml:12: message", as [where, message, full place]:
// ["items.toml:12", "message", "dir/items.toml:12"]; a warning has no line ("dir/items.toml:
// message" -> "items.toml"). Text of another shape is all message.
export function splitProblem(text) {
  const match = /^([^\s:]*\.toml)(:\d+)?: (.*)$/s.exec(text);
  if (!match) return ['', text, ''];
  const [, path, line = '', message] = match;
  const file = path.split('/').pop();
  return [`${file}${line}`, message, `${path}${line}`];
}
