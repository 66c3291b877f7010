// The overview: the bot's Star balance, the money path's health and the webhook, from
// GET /admin/api/overview, where each part is {ok} or {error} on its own.
//
// Below them, `sales` (the payment scripts' counters): Stars received, refunded and net, the
// refund rate, purchases and units sold for today, 7 and 30 days as cards (and today's paying
// players), the money path (refunds waiting, journal, the last reconciliation pass and repair),
// and the charts the server drew.

import { api } from './api.js';
import { $, el } from './dom.js';
import { clock, count, passLine, percent, stars, webhookLines } from './format.js';
import { svgNode } from './svg.js';

// (key of the answer, what draws it into #sales).
const SECTIONS = [['sales', drawSales]];

export async function loadOverview(showProblem) {
  let data;
  try {
    data = await api('GET', '/overview');
  } catch (e) {
    showProblem(`Could not read the overview: ${e.message}`);
    return;
  }
  showProblem('');
  drawBalance(data.star_balance);
  drawMoneyPath(data.pending_refunds, data.journal_backlog);
  drawReconciliation(data.reconciliation, data.read_at);
  drawWebhook(data.webhook, data.read_at);
  const sales = $('sales');
  sales.replaceChildren();
  for (const [key, draw] of SECTIONS) if (data[key]) draw(sales, data[key]);
  $('read-at').textContent = `Read at ${clock(data.read_at)}`;
}

function failed(node, error) {
  node.textContent = 'unavailable';
  node.title = error;
  node.classList.add('bad');
}

function drawBalance(part) {
  const node = $('balance');
  node.classList.remove('bad');
  if (part.error) return failed(node, part.error);
  node.textContent = stars(part.ok.amount);
}

// A count that should be 0: amber when it is not.
function drawCount(node, part) {
  node.classList.remove('bad', 'warn', 'good');
  if (part.error) return failed(node, part.error);
  node.textContent = count(part.ok);
  node.classList.add(part.ok === 0 ? 'good' : 'warn');
}

function drawMoneyPath(refunds, journal) {
  drawCount($('pending-refunds'), refunds);
  drawCount($('journal-backlog'), journal);
}

function drawReconciliation(part, nowMs) {
  const [last, repair] = ['reconcile-last', 'reconcile-repair'].map($);
  for (const node of [last, repair]) node.classList.remove('bad', 'warn');
  if (part.error) {
    for (const node of [last, repair]) failed(node, part.error);
    return;
  }
  const lines = [
    [last, passLine(part.ok.last, nowMs, 'No pass yet (RECONCILE_EVERY_S=0 turns them off; starmine reconcile runs one)')],
    [repair, passLine(part.ok.last_repair, nowMs, 'Nothing repaired yet')],
  ];
  for (const [node, line] of lines) {
    node.replaceChildren(el('span', 'wrap', line.text));
    if (line.kind) node.classList.add(line.kind);
  }
}

function drawWebhook(part, nowMs) {
  const [mode, pending, error] = ['webhook-mode', 'webhook-pending', 'webhook-error'].map($);
  for (const node of [mode, pending, error]) node.classList.remove('bad', 'warn');
  if (part.error) {
    for (const node of [mode, pending, error]) failed(node, part.error);
    return;
  }
  const lines = webhookLines(part.ok, nowMs);
  mode.replaceChildren(el('span', 'wrap', lines.mode));
  pending.textContent = lines.pending;
  error.textContent = lines.error;
  if (part.ok.last_error_message) error.classList.add('warn');
}

function drawSales(container, part) {
  if (part.error) {
    container.appendChild(el('p', 'problem', `Sales figures unavailable: ${part.error}`));
    return;
  }
  const cards = el('div', 'cards');
  for (const window of part.ok.windows) cards.appendChild(windowCard(window, part.ok.paying_players_today));
  const charts = el('div', 'charts');
  for (const chart of part.ok.charts) {
    const figure = el('figure', 'chart');
    figure.dataset.chartId = chart.id;
    figure.appendChild(svgNode(chart.svg));
    charts.appendChild(figure);
  }
  const head = el('h2', 'section-title', 'Sales');
  const range = el('p', 'caption', `Days are UTC; the charts cover ${part.ok.from} to ${part.ok.to}.`);
  container.append(head, cards, range, charts);
}

// One window's card; `paying` (players who paid today) shows on today's only: players who paid
// on several days of a window are not summed twice, so longer windows show them per day (chart).
function windowCard(window, paying) {
  const card = el('article', 'card');
  card.dataset.window = window.window;
  card.appendChild(el('h2', null, window.window === 'today' ? 'Today' : `Last ${window.window}`));
  card.appendChild(el('p', 'figure', stars(window.net)));
  card.lastChild.dataset.field = 'net';
  const facts = el('dl', 'facts');
  const rows = [
    ['Received', stars(window.received), 'received'],
    ['Refunded', stars(window.refunded), 'refunded'],
    ['Refund rate', percent(window.refund_rate), 'refund-rate'],
    ['Purchases', count(window.purchases), 'purchases'],
    ['Units sold', count(window.units_sold), 'units-sold'],
  ];
  if (window.window === 'today') rows.push(['Paying players', count(paying), 'paying-players']);
  for (const [name, text, field] of rows) {
    const row = el('div');
    const value = el('dd', null, text);
    value.dataset.field = field;
    row.append(el('dt', null, name), value);
    facts.appendChild(row);
  }
  card.append(facts, el('p', 'caption', 'The large figure is net: received less refunded.'));
  return card;
}
