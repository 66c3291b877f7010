// Asking the server again soon after the user acts, when the bot answers within a moment — only
// while the server's event stream is not open (live.js): with it, the server says when. The chat
// and the panel register how they refresh (sandbox.js wires them), so the modules that act need
// not import them.

import { page } from './state.js';

const refresh = { poll: () => {}, fullSync: () => {}, panel: () => {} };

// `{ poll, fullSync, panel }`: new messages, the whole chat, the side panel.
export function setRefreshers(refreshers) {
  Object.assign(refresh, refreshers);
}

// The side panel again, now.
export function refreshPanel() {
  return refresh.panel();
}

// Asks again soon. `edits`: the act was a button press, whose answer is often an edit of that
// same message (a shop page, the live dig), which only the whole chat shows: fetch it right away
// too.
export function kick(edits) {
  if (page.live) return;
  if (edits) {
    setTimeout(() => refresh.fullSync(false), 60);
    setTimeout(() => refresh.fullSync(false), 600);
  }
  setTimeout(() => refresh.poll(), 120);
  setTimeout(() => refresh.poll(), 450);
  setTimeout(() => refresh.fullSync(false), 1300);
  setTimeout(() => refresh.panel(), 500);
  setTimeout(() => refresh.panel(), 1500);
}
