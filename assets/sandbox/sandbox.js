/*
 * The Starmine sandbox page: a Telegram-like private chat with the bot, driven through the
 * sandbox control API (/sandbox/api/*) on this same origin.
 *
 * Plain browser JavaScript as ES modules, no build step, no third-party code. This module wires
 * the page together and boots it; the modules it imports each own one concern:
 *
 *   state.js      the users, the current one, whether the server answers
 *   api.js        calls to /sandbox/api           status.js   status line, toasts, alert
 *   live.js       updates the server pushes (SSE) users.js    the user switcher and its sheet
 *   sync.js       asking again soon after an act, while nothing is pushed
 *   chat.js       fetching and drawing the chat   bubbles.js  one message, its keyboard, taps
 *   composer.js   typing, sending, command menu   pay.js      the pay sheet (sandbox Stars)
 *   game_frame.js the game over the chat, with a WebApp shim for paying from inside it
 *   panel.js      the player and the Star ledger
 *   economy.js    the economy lab: a simulated month on the catalog in force, beside the chat
 *   reload.js     the banner over the chat while game_data/ has problems (or warnings)
 *   format.js     numbers, times, names (pure)    parse.js    commands and links in text (pure)
 *   dom.js        $, el, svgIcon (shared with the game page)
 */

import { $ } from './dom.js';
import { fullSync, poll, wireChat } from './chat.js';
import { autosize, closeCommands, loadCommands, wireComposer } from './composer.js';
import { economyIsOpen, refreshEconomy, setEconomy, wireEconomy } from './economy.js';
import { closeGame, wireGameFrame } from './game_frame.js';
import { refreshPanel, setPanel, wirePanel } from './panel.js';
import { userInHash } from './parse.js';
import { closePaySheet, wirePay } from './pay.js';
import { onNewVersion, refreshReload } from './reload.js';
import { page } from './state.js';
import { setOnline } from './status.js';
import { setRefreshers } from './sync.js';
import { initialUser, loadUsers, switchUser, wireUsers } from './users.js';

// While the server's event stream is open (live.js) the page asks only for what has no event:
// the player's state as time passes (energy, gems from arcade runs), and the whole chat now and
// then. Without the stream it falls back to polling.
const POLL_MS = 700; // new messages, without the stream
const FULL_SYNC_MS = 4000; // the whole chat again, for edits and deletions, without the stream
const LIVE_FULL_SYNC_MS = 60000; // the same with the stream, in case an event was lost
const PANEL_MS = 2500; // player state and ledger, without the stream
const LIVE_PANEL_MS = 10000; // the same with the stream
const RELOAD_MS = 2000; // what the last reload of game_data/ came to, without the stream

setRefreshers({ poll, fullSync, panel: refreshPanel });
wireUsers();
wireChat();
wireComposer();
wirePay();
wireGameFrame();
wirePanel();
// The economy panel takes the player panel's place beside the chat on a wide screen.
wireEconomy((open) => {
  if (matchMedia('(min-width: 981px)').matches) setPanel(!open);
});
onNewVersion(refreshEconomy);

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
  else if (economyIsOpen()) setEconomy(false);
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
  // Every `ms` without the stream, every `liveMs` (if at all) with it.
  const every = (fn, ms, liveMs) => {
    let last = Date.now();
    setInterval(
      whenShown(() => {
        if (page.live && (!liveMs || Date.now() - last < liveMs)) return;
        last = Date.now();
        fn();
      }),
      ms,
    );
  };
  every(poll, POLL_MS, 0);
  every(() => fullSync(false), FULL_SYNC_MS, LIVE_FULL_SYNC_MS);
  every(refreshPanel, PANEL_MS, LIVE_PANEL_MS);
  refreshReload();
  every(refreshReload, RELOAD_MS, 0);
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
