// The Transactions tab: the Star ledger as reconciliation copied it into Redis
// (GET /admin/api/transactions), newest first, filtered by player (typed, or a row's player
// clicked) and item, a page at a time (Next follows the server's cursor, Previous goes back
// through the ones seen), with a CSV of the whole filter (GET /admin/api/transactions.csv) and
// how fresh the copy is.

import { api } from './api.js';
import { $, el } from './dom.js';
import { ago, count, stars } from './format.js';

// Each column's heading, and whether it holds a figure (aligned right).
const COLUMNS = [['Date (UTC)'], ['Player'], ['Item'], ['Qty', true], ['Stars', true], ['Kind'], ['Charge']];

// The filter applied, the cursor of the page shown ('' for the newest) and those before it.
const state = { player: '', item: '', before: '', earlier: [], next: null, size: 25 };

export function initTransactions(showProblem) {
  $('tx-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    state.player = $('tx-player').value.trim();
    state.item = $('tx-item').value;
    state.size = Number($('tx-size').value) || 25;
    restart(showProblem);
  });
  $('tx-refresh').addEventListener('click', () => restart(showProblem));
  $('tx-table').addEventListener('click', (event) => {
    const link = event.target.closest('button[data-player]');
    if (!link) return;
    $('tx-player').value = link.dataset.player;
    state.player = link.dataset.player;
    restart(showProblem);
  });
  $('tx-next').addEventListener('click', () => {
    if (!state.next) return;
    state.earlier.push(state.before);
    state.before = state.next;
    loadTransactions(showProblem);
  });
  $('tx-prev').addEventListener('click', () => {
    if (!state.earlier.length) return;
    state.before = state.earlier.pop();
    loadTransactions(showProblem);
  });
}

function restart(showProblem) {
  state.before = '';
  state.earlier = [];
  loadTransactions(showProblem);
}

// The query of the filter applied (what the CSV link exports too).
function filterQuery() {
  const query = new URLSearchParams();
  if (state.player) query.set('player', state.player);
  if (state.item) query.set('item', state.item);
  return query;
}

export async function loadTransactions(showProblem) {
  const query = filterQuery();
  const filter = query.toString();
  $('tx-csv').href = `/admin/api/transactions.csv${filter ? `?${filter}` : ''}`;
  query.set('limit', String(state.size));
  if (state.before) query.set('before', state.before);
  let data;
  try {
    data = await api('GET', `/transactions?${query}`);
  } catch (e) {
    showProblem(`Could not read the transactions: ${e.message}`);
    return;
  }
  showProblem('');
  state.next = data.next;
  fillItems(data.items);
  $('tx-fresh').textContent = freshness(data.copy, data.read_at);
  $('tx-table').replaceChildren(data.rows.length ? table(data.rows) : empty(data.copy));
  const first = state.earlier.length * state.size;
  $('tx-count').textContent = data.rows.length
    ? `${count(first + 1)}–${count(first + data.rows.length)} of ${count(data.total)}`
    : `0 of ${count(data.total)}`;
  $('tx-prev').disabled = !state.earlier.length;
  $('tx-next').disabled = !state.next;
  $('tx-pager').hidden = !data.rows.length && !state.earlier.length;
  $('view-transactions').dataset.loaded = String(data.read_at);
}

// The catalog's items in the filter's select, once (the choice stays selected).
function fillItems(items) {
  const select = $('tx-item');
  if (select.options.length > 1) return;
  for (const item of items) {
    const option = el('option', null, item.name);
    option.value = item.id;
    select.append(option);
  }
  select.value = state.item;
}

function freshness(copy, nowMs) {
  if (!copy.refreshed_at) return 'Not filled yet: no reconciliation pass has read the ledger';
  return `Copy refreshed ${ago(copy.refreshed_at, nowMs)} · ${count(copy.rows)} kept`;
}

function empty(copy) {
  const text = state.player || state.item
    ? 'No transactions in the copy for this filter.'
    : 'No transactions yet. The copy fills as reconciliation reads the Star ledger (every minute by default, or run starmine reconcile).';
  const node = el('p', 'empty', copy.refreshed_at ? text : `${text} No pass has finished yet.`);
  node.dataset.testid = 'tx-empty';
  return node;
}

function table(rows) {
  const node = el('table', 'items tx');
  const head = node.createTHead().insertRow();
  for (const [name, figure] of COLUMNS) head.appendChild(el('th', figure ? 'num' : null, name));
  const body = node.createTBody();
  for (const row of rows) body.appendChild(line(row));
  return node;
}

function line(row) {
  const tr = el('tr');
  tr.dataset.key = row.key;
  const date = cell(utc(row.date), 'date', 'Date');
  const player = cell(row.player === null ? row.partner : '', 'player', 'Player');
  if (row.player !== null) player.appendChild(playerLink(row.player, row.username));
  const item = cell(row.item_name || row.item || '–', 'item', 'Item');
  const qty = cell(row.qty === null ? '–' : count(row.qty), 'qty', 'Qty');
  const amount = cell(`${row.direction === 'out' ? '−' : '+'}${stars(row.amount)}`, 'stars', 'Stars');
  amount.classList.add('num', row.direction === 'out' ? 'warn' : 'good');
  qty.classList.add('num');
  const kind = cell('', 'kind', 'Kind');
  kind.appendChild(el('span', `status kind-${row.kind}`, `${row.kind} · ${row.direction}`));
  const charge = cell('', 'charge', 'Charge');
  if (row.charge) {
    const code = el('code', null, shorten(row.charge));
    code.title = row.charge;
    charge.appendChild(code);
  } else {
    charge.textContent = '–';
  }
  for (const td of [date, player, item, qty, amount, kind, charge]) tr.appendChild(td);
  return tr;
}

// A player (their @username when known, else their id) that filters the tab to them.
function playerLink(id, username) {
  const link = el('button', 'link', username ? `@${username}` : String(id));
  link.type = 'button';
  link.title = `Only player ${id}`;
  link.dataset.player = String(id);
  return link;
}

function cell(text, field, label) {
  const td = el('td', null, text);
  td.dataset.field = field;
  td.dataset.label = label;
  return td;
}

// Unix seconds -> "2026-12-02 16:40:05".
function utc(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

// A long charge id as its first 6 and last 4 characters.
function shorten(id) {
  return id.length > 13 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}
