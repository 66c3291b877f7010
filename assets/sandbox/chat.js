// The chat with the bot: new messages polled, the whole chat fetched again now and then (edits and
// deletions), drawn in order with day pills and bubble tails, kept scrolled to the bottom unless
// the user scrolled up (then counted as unread), and taps on a command or a charge id in a text.

import { $, el } from './dom.js';
import { api } from './api.js';
import { buildMessage } from './bubbles.js';
import { copyText, fillComposer, NEEDS_ARGUMENT, sendText } from './composer.js';
import { dayLabel } from './format.js';
import { refreshPanelSoon } from './panel.js';
import { page } from './state.js';
import { clearBusy, toast } from './status.js';

const NEAR_BOTTOM_PX = 140;

const scroller = $('scroller');
const list = $('messages');

// The current user's chat as drawn: message id -> { m, sig, node }, the newest id, whether the
// first whole fetch arrived, fetches in flight (and whether one was asked for meanwhile, which
// then follows it: the server's event may come while the fetch before it is on its way),
// messages below the view.
const chat = { messages: new Map(), lastId: 0, loaded: false, polling: false, syncing: false, again: { poll: false, sync: false }, unread: 0 };

// An empty chat, for another user.
export function resetChat() {
  chat.again.poll = false;
  chat.again.sync = false;
  chat.messages.clear();
  chat.lastId = 0;
  chat.loaded = false;
  chat.unread = 0;
  list.textContent = '';
  $('intro').hidden = true;
  $('to-bottom').hidden = true;
}

function signature(m) {
  return JSON.stringify(m);
}

export async function poll() {
  if (page.user == null) return;
  if (chat.polling || chat.syncing || !chat.loaded) {
    chat.again.poll = true;
    return;
  }
  chat.polling = true;
  const gen = page.gen;
  try {
    const data = await api('GET', `/chat/${page.user}?after=${chat.lastId}`);
    if (gen !== page.gen) return;
    const fresh = (data.messages || []).filter((m) => !chat.messages.has(m.id));
    if (fresh.length) applyMessages(fresh, false);
  } catch (_) {
    /* shown in the status line; try again next tick */
  } finally {
    chat.polling = false;
    followUp();
  }
}

// A fetch asked for while another was on its way.
function followUp() {
  if (chat.polling || chat.syncing) return;
  if (chat.again.sync) {
    chat.again.sync = false;
    chat.again.poll = false;
    fullSync(false);
  } else if (chat.again.poll && chat.loaded) {
    chat.again.poll = false;
    poll();
  }
}

export async function fullSync(first) {
  if (page.user == null) return;
  if (chat.syncing && !first) {
    chat.again.sync = true;
    return;
  }
  chat.syncing = true;
  const gen = page.gen;
  try {
    const data = await api('GET', `/chat/${page.user}`);
    if (gen !== page.gen) return;
    applyMessages(data.messages || [], true, first);
    chat.loaded = true;
  } catch (error) {
    if (first && gen === page.gen) toast(error.message, 'error');
  } finally {
    chat.syncing = false;
    followUp();
  }
}

function nearBottom() {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
}

function scrollToBottom(smooth) {
  const top = scroller.scrollHeight;
  if (smooth) scroller.scrollTo({ top, behavior: 'smooth' });
  else scroller.scrollTop = top;
  chat.unread = 0;
  updateUnread();
}

function updateUnread() {
  const atBottom = nearBottom();
  if (atBottom) chat.unread = 0;
  $('to-bottom').hidden = atBottom;
  const badge = $('unread');
  badge.hidden = chat.unread <= 0;
  badge.textContent = String(chat.unread);
}

// The date pills now stuck to the top (their own place is above the view).
function markFloatingDays() {
  const top = scroller.getBoundingClientRect().top;
  for (const d of list.querySelectorAll('.day')) {
    // stuck: it overlaps what follows it, which it never does in its own place
    const next = d.nextElementSibling;
    const r = d.getBoundingClientRect();
    const stuck = r.top - top <= 8 && Boolean(next) && next.getBoundingClientRect().top < r.bottom;
    d.classList.toggle('floating', stuck);
  }
}

// `all`: the list is the whole chat (messages missing from it were deleted).
function applyMessages(messages, all, first) {
  const wasNear = nearBottom();
  let added = 0;
  let changed = false;
  let fromMe = false;
  const seen = new Set();
  for (const m of messages) {
    seen.add(m.id);
    const sig = signature(m);
    const known = chat.messages.get(m.id);
    if (known) {
      if (known.sig === sig) continue;
      const node = buildMessage(m);
      known.node.replaceWith(node);
      chat.messages.set(m.id, { m, sig, node });
      changed = true;
      continue;
    }
    const node = buildMessage(m);
    insertInOrder(m.id, node);
    chat.messages.set(m.id, { m, sig, node });
    added++;
    if (m.from === 'user' && m.kind === 'text') fromMe = true;
    if (m.from === 'bot' && !first) clearBusy();
    chat.lastId = Math.max(chat.lastId, m.id);
  }
  if (all) {
    for (const [id, entry] of [...chat.messages]) {
      if (!seen.has(id)) {
        entry.node.remove();
        chat.messages.delete(id);
        changed = true;
      }
    }
  }
  if (!added && !changed && !first) return;
  decorate();
  $('intro').hidden = chat.messages.size > 0;
  if (first) {
    requestAnimationFrame(() => scrollToBottom(false));
  } else if (added) {
    if (wasNear || fromMe) requestAnimationFrame(() => scrollToBottom(true));
    else {
      chat.unread += added;
      updateUnread();
    }
    refreshPanelSoon();
  }
}

function insertInOrder(id, node) {
  // Usually the newest: append. Otherwise before the first known message with a larger id.
  let before = null;
  for (const [otherId, entry] of chat.messages) {
    if (otherId > id && (!before || otherId < Number(before.dataset.id))) before = entry.node;
  }
  if (before) list.insertBefore(node, before);
  else list.appendChild(node);
}

// Day separators and bubble tails (only the last bubble of a run from one side has a tail).
function decorate() {
  for (const d of list.querySelectorAll('.day')) d.remove();
  const nodes = [...list.children];
  let lastDay = '';
  nodes.forEach((node, i) => {
    const date = Number(node.dataset.date) || 0;
    const day = date ? new Date(date * 1000).toDateString() : lastDay;
    if (date && day !== lastDay) {
      const sep = el('div', 'day', dayLabel(date, new Date()));
      list.insertBefore(sep, node);
      lastDay = day;
    }
    if (!node.classList.contains('msg')) return;
    const next = nodes[i + 1];
    const nextDate = next ? Number(next.dataset.date) || 0 : 0;
    const sameRun =
      next &&
      next.classList.contains('msg') &&
      next.dataset.from === node.dataset.from &&
      (!nextDate || !date || new Date(nextDate * 1000).toDateString() === day);
    node.classList.toggle('tail', !sameRun);
  });
}

// Scrolling (the unread badge, the floating day pill), the jump to the bottom, and taps on a
// command (sent, or put in the composer when it needs an argument) or a charge id (copied).
export function wireChat() {
  let scrollIdle = 0;
  scroller.addEventListener(
    'scroll',
    () => {
      updateUnread();
      scroller.classList.add('scrolling');
      clearTimeout(scrollIdle);
      scrollIdle = setTimeout(() => {
        scroller.classList.remove('scrolling');
        markFloatingDays();
      }, 900);
    },
    { passive: true },
  );

  $('to-bottom').addEventListener('click', () => scrollToBottom(true));

  list.addEventListener('click', (e) => {
    const cmd = e.target.closest('.cmd');
    if (cmd && cmd.dataset.command) {
      const name = cmd.dataset.command.slice(1);
      if (NEEDS_ARGUMENT.has(name) && cmd.dataset.command === `/${name}`) fillComposer(`/${name} `);
      else sendText(cmd.dataset.command);
      return;
    }
    const copy = e.target.closest('[data-copy]');
    if (copy) copyText(copy.dataset.copy);
  });
}
