// The screens (one shows at a time) and the two toasts: an error and a notice, one message at a
// time. Modules that must act when the screen changes (stop the run loop, the order poll, turn the
// hero gem) are told through `onShow`, so this module needs none of them.

import { $ } from './dom.js';
import { ui } from './state.js';

const SCREENS = ['loading', 'expired', 'home', 'playing', 'results', 'shop'];
const SCREEN_EL = {
  loading: 'screen-loading',
  expired: 'screen-expired',
  home: 'screen-home',
  playing: 'screen-play',
  results: 'screen-results',
  shop: 'screen-shop',
};

const listeners = [];

// `listener(name, previous)` runs each time a screen is shown.
export function onShow(listener) {
  listeners.push(listener);
}

// Shows the screen `name`; once the expired screen shows, nothing else does.
export function show(name) {
  if (ui.screen === 'expired' && name !== 'expired') return;
  const previous = ui.screen;
  ui.screen = name;
  for (const s of SCREENS) $(SCREEN_EL[s]).classList.toggle('active', s === name);
  for (const listener of listeners) listener(name, previous);
  window.scrollTo(0, 0);
}

// The expired screen, from whichever shows (its listeners see "loading" as the one before).
export function showExpired() {
  ui.screen = 'loading';
  show('expired');
}

// One message at a time: a new one replaces whichever shows.
let toastTimer = 0;
export function showError(msg) {
  $('toast-ok').hidden = true;
  const t = $('toast');
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    t.hidden = true;
  }, 6000);
}
let noticeTimer = 0;
export function showNotice(msg) {
  $('toast').hidden = true;
  const t = $('toast-ok');
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    t.hidden = true;
  }, 3500);
}

// A tap hides a toast.
export function wireToasts() {
  $('toast').addEventListener('click', () => ($('toast').hidden = true));
  $('toast-ok').addEventListener('click', () => ($('toast-ok').hidden = true));
}
