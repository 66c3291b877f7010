// The Support tab: the /paysupport inbox from GET /admin/api/support (newest first), the
// unanswered only or all. Each message shows its player (a link to their card on the Players
// tab), when it came, what they wrote, their recent payments, and either the answer (who, when,
// what) or a reply box: POST /admin/api/support/<id>/reply sends it through the bot, and the
// message turns answered in place. The navigation's Support link counts the unanswered.
// What players wrote is only ever set as text, never parsed as HTML.

import { api } from './api.js';
import { $, el } from './dom.js';
import { ago, playerTitle, stars, utcMinute } from './format.js';

const inbox = {
  messages: [],
  // The longest answer (the server's `answer_max`), a reply box's maxlength.
  answerMax: null,
  filter: 'unanswered',
  // Unanswered messages beyond those listed (the server lists the newest 100 of each kind).
  unseen: 0,
  // The signed-in admin, who an answer sent from here is by.
  admin: null,
};

export function initSupport(admin, showProblem) {
  inbox.admin = admin;
  for (const button of document.querySelectorAll('#support-filter button')) {
    button.addEventListener('click', () => {
      inbox.filter = button.dataset.filter;
      draw();
    });
  }
  $('support-refresh').addEventListener('click', () => loadSupport(showProblem));
}

// Reads the inbox and shows it.
export async function loadSupport(showProblem) {
  let data;
  try {
    data = await api('GET', '/support');
  } catch (e) {
    showProblem(`Could not read the support inbox: ${e.message}`);
    return;
  }
  showProblem('');
  inbox.messages = data.messages;
  inbox.unseen = unseenOpen(data);
  inbox.answerMax = data.answer_max;
  draw();
}

// Only the navigation's count (on opening the console, whichever section shows first).
export async function countSupport() {
  try {
    const data = await api('GET', '/support');
    inbox.unseen = unseenOpen(data);
    drawCount(data.messages);
  } catch (_) {
    // The Support tab says why when it is opened.
  }
}

const isOpen = (message) => message.answer === null || message.answer === undefined;

// Unanswered messages the answer did not bring (more than it lists): counted, not shown.
function unseenOpen(data) {
  return Math.max(0, (data.unanswered || 0) - data.messages.filter(isOpen).length);
}

function drawCount(messages) {
  const open = messages.filter(isOpen).length + (inbox.unseen || 0);
  const link = document.querySelector('.nav a[data-view="support"]');
  if (open) link.dataset.count = String(open);
  else delete link.dataset.count;
  link.setAttribute('aria-label', open ? `Support, ${open} unanswered` : 'Support');
}

function draw() {
  drawCount(inbox.messages);
  drawFilter();
  const shown = inbox.filter === 'all' ? inbox.messages : inbox.messages.filter(isOpen);
  const list = $('support-inbox');
  if (!shown.length) {
    const why = inbox.messages.length ? 'Every message has been answered.' : 'No support messages yet.';
    list.replaceChildren(el('li', 'empty', why));
    return;
  }
  list.replaceChildren(...shown.map(ticket));
}

// "Unanswered (2)" and "All (3)", the chosen one pressed.
function drawFilter() {
  const shown = { unanswered: inbox.messages.filter(isOpen).length, all: inbox.messages.length };
  for (const button of document.querySelectorAll('#support-filter button')) {
    const filter = button.dataset.filter;
    button.setAttribute('aria-pressed', String(filter === inbox.filter));
    button.textContent = `${filter === 'all' ? 'All' : 'Unanswered'} (${shown[filter]})`;
  }
}

// One message as a card.
function ticket(message) {
  const card = el('li', 'card ticket');
  card.dataset.id = String(message.id);
  card.dataset.testid = 'ticket';
  fillTicket(card, message);
  return card;
}

function fillTicket(card, message) {
  card.dataset.state = isOpen(message) ? 'open' : 'answered';
  const text = el('p', 'ticket-text', message.text);
  text.dataset.field = 'text';
  card.replaceChildren(head(message), text, recentPayments(message.recent_payments));
  card.append(isOpen(message) ? replyBox(card, message) : answer(message));
}

// "#3 Alice (@alice) · 1001" (a link to their card), when, and answered or not.
function head(message) {
  const box = el('div', 'ticket-head');
  const who = el('div', 'ticket-who');
  const names = { user_id: message.user, name: message.name, username: message.username };
  const player = el('a', 'player-link', playerTitle(names));
  player.href = `#players/${message.user}`;
  player.dataset.field = 'player';
  player.title = `Open player ${message.user} on the Players tab`;
  who.append(el('strong', null, `#${message.id}`), player);
  const when = el('time', 'muted', `${utcMinute(message.at_ms)} · ${ago(message.at_ms, Date.now())}`);
  when.dateTime = new Date(message.at_ms).toISOString();
  const state = isOpen(message) ? ['Unanswered', 'status status-open'] : ['Answered', 'status status-answered'];
  const badge = el('span', state[1], state[0]);
  badge.dataset.field = 'state';
  const status = el('div', 'ticket-when');
  status.append(when, badge);
  box.append(who, status);
  return box;
}

function recentPayments(payments) {
  const box = el('div', 'ticket-payments');
  box.append(el('h3', null, 'Recent payments'));
  if (!payments.length) {
    box.append(el('p', 'muted', 'None.'));
    return box;
  }
  const list = el('ul', 'mini-payments');
  for (const payment of payments) {
    const row = el('li');
    row.dataset.charge = payment.telegram_payment_charge_id;
    row.append(
      el('span', 'mini-item', `${payment.item_id} × ${payment.quantity}`),
      el('span', null, stars(payment.amount)),
      el('span', `status status-${payment.status}`, payment.status.replace('_', ' ')),
      el('span', 'muted', `${payment.paid_at.slice(0, 16).replace('T', ' ')} UTC`),
    );
    list.append(row);
  }
  box.append(list);
  return box;
}

// "Answered by 9000, 2026-12-02 15:04 UTC" and what they said.
function answer(message) {
  const box = el('div', 'ticket-answer');
  box.dataset.testid = 'answer';
  const by = el('p', 'muted', `Answered by ${message.answered_by} · ${utcMinute(message.answered_at_ms)}`);
  by.dataset.field = 'answered-by';
  const text = el('p', 'ticket-text', message.answer);
  text.dataset.field = 'answer';
  box.append(by, text);
  return box;
}

function replyBox(card, message) {
  const form = el('form', 'reply');
  const id = `reply-${message.id}`;
  const label = el('label', 'muted', `Answer #${message.id}; the bot sends it to the player in their chat`);
  label.htmlFor = id;
  const area = el('textarea');
  area.id = id;
  area.rows = 3;
  area.maxLength = inbox.answerMax;
  area.dataset.testid = 'reply-text';
  const left = el('span', 'muted', '');
  const send = el('button', 'primary', 'Send');
  send.type = 'submit';
  send.dataset.testid = 'reply-send';
  const result = el('p', 'result', null);
  result.setAttribute('role', 'status');
  result.dataset.testid = 'reply-result';
  result.hidden = true;
  const refresh = () => {
    const length = area.value.length;
    left.textContent = length > inbox.answerMax * 0.9 ? `${inbox.answerMax - length} left` : '';
    send.disabled = !area.value.trim();
  };
  area.addEventListener('input', refresh);
  refresh();
  const actions = el('div', 'reply-actions');
  actions.append(left, send);
  form.append(label, area, actions, result);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sendAnswer(card, message, { area, send, result });
  });
  return form;
}

async function sendAnswer(card, message, { area, send, result }) {
  const text = area.value.trim();
  send.disabled = true;
  area.readOnly = true;
  send.textContent = 'Sending…';
  let report = null;
  let failure = '';
  try {
    report = await api('POST', `/support/${message.id}/reply`, { text });
  } catch (e) {
    failure = e.message;
  }
  if (report && report.result === 'sent') {
    Object.assign(message, { answer: text, answered_by: inbox.admin, answered_at_ms: Date.now() });
    fillTicket(card, message);
    card.append(outcome(`Sent: ${report.message}.`, 'good'));
    drawCount(inbox.messages);
    drawFilter();
    return;
  }
  area.readOnly = false;
  send.textContent = 'Send';
  send.disabled = false;
  const why = report ? report.message : failure;
  Object.assign(result, { textContent: `Not sent: ${why}`, className: 'result bad', hidden: false });
}

function outcome(text, kind) {
  const node = el('p', `result ${kind}`, text);
  node.setAttribute('role', 'status');
  node.dataset.testid = 'reply-result';
  return node;
}
