// The overview: the bot's Star balance, the money path's health and the webhook, from
// GET /admin/api/overview, where each part is {ok} or {error} on its own.
//
// Room for the sales figures: the payment scripts' counters add `sales` to the answer; until
// then there is no such key and nothing is drawn for it (never made-up numbers). A renderer for
// it goes into SECTIONS.

import { api } from './api.js';
import { $, el } from './dom.js';
import { clock, count, stars, webhookLines } from './format.js';

// (key of the answer, what draws it into #sales); empty until the counters exist.
const SECTIONS = [];

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
