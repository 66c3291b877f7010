// The Items view: per catalog item, the last 30 days' units sold and refunded, Stars received
// and net, stock left and open holds of a limited item, and a sparkline of units sold per day,
// from GET /admin/api/items.

import { api } from './api.js';
import { $, el } from './dom.js';
import { count, stars } from './format.js';
import { svgNode } from './svg.js';

const COLUMNS = ['Item', 'Sold', 'Refunds', 'Received', 'Net', 'Stock left', 'Held', 'Sold per day'];

export async function loadItems(showProblem) {
  let data;
  try {
    data = await api('GET', '/items');
  } catch (e) {
    showProblem(`Could not read the items: ${e.message}`);
    return;
  }
  showProblem('');
  $('items-range').textContent = `${data.from} to ${data.to} (UTC)`;
  const table = el('table', 'items');
  const head = table.createTHead().insertRow();
  for (const name of COLUMNS) head.appendChild(el('th', null, name));
  const body = table.createTBody();
  for (const item of data.items) body.appendChild(row(item));
  $('items-table').replaceChildren(table);
}

function row(item) {
  const tr = el('tr');
  tr.dataset.item = item.id;
  const name = el('td', 'name', item.name);
  if (item.retired) name.appendChild(el('span', 'tag', 'retired'));
  const limited = item.limited;
  const cells = [
    name,
    cell(count(item.sold), 'sold', 'Sold'),
    cell(count(item.refunds), 'refunds', 'Refunds'),
    cell(stars(item.received), 'received', 'Received'),
    cell(stars(item.net), 'net', 'Net'),
    cell(limited ? `${count(limited.left)} of ${count(limited.stock)}` : 'unlimited', 'left', 'Stock left'),
    cell(limited ? count(limited.held) : '–', 'held', 'Held'),
  ];
  const spark = el('td', 'spark');
  spark.appendChild(svgNode(item.sparkline));
  for (const td of [...cells, spark]) tr.appendChild(td);
  return tr;
}

// A figure's cell, labelled for the phone layout (a row becomes a card there).
function cell(text, field, label) {
  const td = el('td', 'num', text);
  td.dataset.field = field;
  td.dataset.label = label;
  return td;
}
