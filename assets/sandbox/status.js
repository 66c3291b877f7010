// The chat header's status line (bot, typing…, waiting for the server), toasts and the alert box.

import { $, el } from './dom.js';
import { page } from './state.js';

let statusTimer = 0;

export function setOnline(online) {
  if (online === page.online) return;
  page.online = online;
  const st = $('peer-status');
  st.classList.toggle('offline', !online);
  st.textContent = online ? 'bot' : 'waiting for the sandbox server…';
}

// "typing…" for a moment after the user acts.
export function showBusy(text) {
  if (!page.online) return;
  const st = $('peer-status');
  clearTimeout(statusTimer);
  st.classList.add('busy');
  st.textContent = text;
  statusTimer = setTimeout(() => {
    st.classList.remove('busy');
    if (page.online) st.textContent = 'bot';
  }, 1600);
}

export function clearBusy() {
  clearTimeout(statusTimer);
  const st = $('peer-status');
  st.classList.remove('busy');
  if (page.online) st.textContent = 'bot';
}

export function toast(text, kind, ms) {
  const t = el('div', `toast ${kind || ''}`, text);
  t.dataset.testid = 'toast';
  $('toasts').appendChild(t);
  const life = ms || (kind === 'error' ? 6000 : 3000);
  setTimeout(() => {
    t.classList.add('leaving');
    setTimeout(() => t.remove(), 300);
  }, life);
}

// A callback answer with show_alert, as Telegram's modal.
export function showAlert(text) {
  $('alert-text').textContent = text;
  $('alert-wrap').hidden = false;
  $('alert-wrap').querySelector('[data-close="alert"].btn').focus();
}
