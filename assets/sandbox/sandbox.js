/*
 * The Starmine sandbox page: a Telegram-like private chat with the bot, driven through the
 * sandbox control API (/sandbox/api/*) on this same origin.
 *
 * Plain browser JavaScript as ES modules, no build step, no third-party code. This module wires
 * the page together and boots it; the modules it imports each own one concern:
 *
 *   state.js      the users, the current one, whether the server answers
 *   api.js        calls to /sandbox/api           status.js   status line, toasts, alert
 *   sync.js       asking again soon after an act  users.js    the user switcher and its sheet
 *   chat.js       fetching and drawing the chat   bubbles.js  one message, its keyboard, taps
 *   composer.js   typing, sending, command menu   pay.js      the pay sheet (sandbox Stars)
 *   game_frame.js the game over the chat, with a WebApp shim for paying from inside it
 *   panel.js      the player and the Star ledger
 *   reload.js     the banner over the chat while game_data/ has problems (or warnings)
 *   format.js     numbers, times, names (pure)    parse.js    commands and links in text (pure)
 *   dom.js        $, el, svgIcon (shared with the game page)
 */

import { $ } from './dom.js';
import { fullSync, poll, wireChat } from './chat.js';
import { autosize, closeCommands, loadCommands, wireComposer } from './composer.js';
import { closeGame, wireGameFrame } from './game_frame.js';
import { refreshPanel, setPanel, wirePanel } from './panel.js';
import { userInHash } from './parse.js';
import { closePaySheet, wirePay } from './pay.js';
import { refreshReload } from './reload.js';
import { page } from './state.js';
import { setOnline } from './status.js';
import { setRefreshers } from './sync.js';
import { initialUser, loadUsers, switchUser, wireUsers } from './users.js';

const POLL_MS = 700; // new messages
const FULL_SYNC_MS = 4000; // the whole chat again, for edits and deletions
const PANEL_MS = 2500; // player state and ledger
const RELOAD_MS = 2000; // what the last reload of game_data/ came to

setRefreshers({ poll, fullSync, panel: refreshPanel });
wireUsers();
wireChat();
wireComposer();
wirePay();
wireGameFrame();
wirePanel();

// Closing sheets: backdrops, Cancel buttons, Escape.
document.addEventListener('click', (e) => {
  const closer = e.target.closest('[data-close]');
  if (!closer) return;
  const which = closer.dataset.close;
  if (which === 'pay') closePaySheet();
  else if (which === 'user') $('user-wrap').hidden = true;
  else if (which === 'alert') $('alert-wrap').hidden = true;
});

document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  if (!$('alert-wrap').hidden) $('alert-wrap').hidden = true;
  else if (!$('pay-wrap').hidden) closePaySheet();
  else if (!$('user-wrap').hidden) $('user-wrap').hidden = true;
  else if (!$('game-overlay').hidden) closeGame();
  else if (!$('commands-pop').hidden) closeCommands();
  else if ($('app').classList.contains('panel-open')) setPanel(false);
});

async function boot() {
  setPanel(matchMedia('(min-width: 981px)').matches);
  autosize();
  for (;;) {
    try {
      await loadUsers();
      break;
    } catch (error) {
      setOnline(false);
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
  loadCommands();
  switchUser(initialUser());
  // A background tab stops asking; it catches up when shown again.
  const whenShown = (fn) => () => {
    if (!document.hidden) fn();
  };
  setInterval(whenShown(poll), POLL_MS);
  setInterval(whenShown(() => fullSync(false)), FULL_SYNC_MS);
  setInterval(whenShown(refreshPanel), PANEL_MS);
  refreshReload();
  setInterval(whenShown(refreshReload), RELOAD_MS);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
      fullSync(false);
      refreshPanel();
      refreshReload();
    }
  });
  setInterval(() => {
    // others may add users (another tab, a test)
    loadUsers().catch(() => {});
  }, 15000);
  document.body.dataset.ready = '1';
}

window.addEventListener('hashchange', () => {
  const id = userInHash(location.hash);
  if (id && id !== page.user && page.users.some((u) => u.id === id)) switchUser(id);
});

boot();
