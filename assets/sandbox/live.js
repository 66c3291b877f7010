// Updates pushed by the server: an EventSource on /sandbox/api/events for the current user. The
// server sends a small event when the chat, the Star ledger or the reload status changes, and
// the page fetches what changed at once — no polling while the stream is open (sandbox.js then
// only asks now and then, for what has no event). EventSource reconnects by itself; each
// (re)connection starts with one event of each kind, so nothing missed stays missed.

import { fullSync, poll } from './chat.js';
import { refreshPanel, refreshPanelSoon } from './panel.js';
import { refreshReload } from './reload.js';
import { page } from './state.js';

let source = null;
// The chat's counters as last told on this connection (null: nothing yet).
let told = null;

// Follows the current user (again): call after every switch.
export function follow() {
  if (source) source.close();
  told = null;
  page.live = false;
  if (page.user == null || typeof EventSource === 'undefined') {
    source = null;
    return;
  }
  const user = page.user;
  source = new EventSource(`/sandbox/api/events?user=${encodeURIComponent(user)}`);
  const stream = source;
  const setLive = (live) => {
    if (stream !== source) return; // a stream closed for another user
    page.live = live;
    document.body.dataset.live = live ? '1' : '0';
  };
  source.addEventListener('open', () => {
    told = null;
    setLive(true);
  });
  // EventSource tries again by itself (readyState CONNECTING); meanwhile the page polls.
  source.addEventListener('error', () => setLive(stream.readyState === EventSource.OPEN));
  source.addEventListener('chat', (e) => onChat(user, JSON.parse(e.data)));
  source.addEventListener('ledger', () => refreshPanel());
  source.addEventListener('reload', () => refreshReload());
}

// A new message: fetch the new ones; an edit or a deletion (or the first word after a
// (re)connection): the whole chat. The player's state often changed with it.
function onChat(user, now) {
  if (user !== page.user) return;
  const before = told;
  told = now;
  if (!before || now.edits !== before.edits) fullSync(false);
  else if (now.messages !== before.messages) poll();
  refreshPanelSoon();
}
