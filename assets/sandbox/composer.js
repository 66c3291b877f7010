// The composer: typing and sending as the user, the bot's command menu (from
// /sandbox/api/commands, or the built-in list), and copying (a charge id) with the composer as the
// fallback.

import { $, el } from './dom.js';
import { api } from './api.js';
import { page } from './state.js';
import { showBusy, toast } from './status.js';
import { kick } from './sync.js';

// The bot's menu, used until (or if) /sandbox/api/commands answers.
const FALLBACK_COMMANDS = [
  ['start', 'What Starmine is and how to play'],
  ['dig', 'Dig for gems'],
  ['me', 'Your energy, gems, depth and boosts'],
  ['top', 'The best miners'],
  ['play', 'Play Starmine Rush, the arcade run'],
  ['shop', 'Items for sale'],
  ['buy', 'Buy an item: /buy <item>'],
  ['inventory', 'What you own'],
  ['use', 'Use an item: /use <item>'],
  ['refund', 'Refund a recent purchase'],
  ['terms', 'Terms of sale'],
  ['paysupport', 'Help with a payment'],
].map(([command, description]) => ({ command, description }));
// Commands that need an argument: tapping them fills the composer instead of sending.
export const NEEDS_ARGUMENT = new Set(['buy', 'use']);

const composer = $('composer');
let commands = FALLBACK_COMMANDS;

export async function sendText(text) {
  const body = String(text || '').trim();
  if (!body || page.user == null) return false;
  closeCommands();
  try {
    await api('POST', '/send', { user: page.user, text: body });
    showBusy('typing…');
    kick();
    return true;
  } catch (error) {
    toast(error.message, 'error');
    return false;
  }
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied', 'ok', 1200);
  } catch (_) {
    fillComposer(`${composer.value}${composer.value ? ' ' : ''}${text}`);
  }
}

export function autosize() {
  composer.style.height = 'auto';
  composer.style.height = `${Math.min(composer.scrollHeight, 160)}px`;
  $('send').classList.toggle('ready', composer.value.trim() !== '');
}

export function fillComposer(text) {
  composer.value = text;
  autosize();
  composer.focus();
  composer.setSelectionRange(text.length, text.length);
}

function openCommands(filter) {
  const pop = $('commands-pop');
  const f = (filter || '').toLowerCase();
  const shown = commands.filter((c) => c.command.toLowerCase().startsWith(f));
  pop.textContent = '';
  if (!shown.length) {
    closeCommands();
    return;
  }
  for (const c of shown) {
    const item = el('button', 'cmd-item');
    item.type = 'button';
    item.dataset.testid = 'command';
    item.dataset.command = c.command;
    const av = el('span', 'avatar bot-avatar', '⛏');
    const text = el('span', 'cmd-text');
    text.append(el('b', '', `/${c.command}`), el('span', 'cmd-desc', c.description));
    item.append(av, text);
    item.addEventListener('click', () => {
      if (NEEDS_ARGUMENT.has(c.command)) {
        closeCommands();
        fillComposer(`/${c.command} `);
      } else {
        composer.value = '';
        autosize();
        sendText(`/${c.command}`);
      }
    });
    pop.appendChild(item);
  }
  pop.dataset.manual = filter == null ? '1' : '';
  pop.hidden = false;
  $('commands-btn').setAttribute('aria-expanded', 'true');
}

export function closeCommands() {
  $('commands-pop').hidden = true;
  $('commands-btn').setAttribute('aria-expanded', 'false');
}

export async function loadCommands() {
  try {
    const data = await api('GET', '/commands');
    if (Array.isArray(data.commands) && data.commands.length) commands = data.commands;
  } catch (_) {
    /* an older server: keep the built-in list */
  }
}

// Typing, Enter to send, the command menu by keyboard, and its button.
export function wireComposer() {
  $('composer-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = composer.value;
    if (!text.trim()) return;
    composer.value = '';
    autosize();
    const ok = await sendText(text);
    if (!ok && !composer.value) {
      composer.value = text;
      autosize();
    }
  });

  composer.addEventListener('keydown', (e) => {
    const pop = $('commands-pop');
    if (!pop.hidden) {
      const items = [...pop.querySelectorAll('.cmd-item')];
      let idx = items.findIndex((i) => i.classList.contains('active'));
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (items.length) {
          idx = e.key === 'ArrowDown' ? (idx + 1) % items.length : (idx - 1 + items.length) % items.length;
          items.forEach((i, n) => i.classList.toggle('active', n === idx));
          items[idx].scrollIntoView({ block: 'nearest' });
        }
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && idx >= 0 && !e.shiftKey) {
        e.preventDefault();
        items[idx].click();
        return;
      }
      if (e.key === 'Escape') {
        closeCommands();
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('composer-form').requestSubmit();
    }
  });

  composer.addEventListener('input', () => {
    autosize();
    const v = composer.value;
    if (/^\/[a-z0-9_]*$/i.test(v)) openCommands(v.slice(1));
    else if (!$('commands-pop').hidden && !$('commands-pop').dataset.manual) closeCommands();
  });

  $('commands-btn').addEventListener('click', () => {
    if ($('commands-pop').hidden) openCommands(null);
    else closeCommands();
  });

  document.addEventListener('click', (e) => {
    if ($('commands-pop').hidden) return;
    if (e.target.closest('#commands-pop, #commands-btn, #composer')) return;
    closeCommands();
  });

  $('start-btn').addEventListener('click', () => sendText('/start'));
}
