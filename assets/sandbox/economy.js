// The economy panel: the economy lab (`starmine simulate`) run by the server on the catalog in
// force — a month of about 1,000 players — drawn beside the chat. After every reload of
// game_data/ the month is simulated again and the one of the version before shows dashed on the
// same axes, so a designer edits a TOML file and sees what it changed. On a wide screen the panel
// sits beside the chat (the player panel folds away); on a phone it covers the chat.

import { $, el } from './dom.js';
import { api } from './api.js';

// Whether the panel is open, the version drawn, and a fetch on its way (with another one due).
const economy = { open: false, version: null, loading: false, again: false };

export function economyIsOpen() {
  return economy.open;
}

// Opens or closes the panel (and fetches the month when it opens).
export function setEconomy(open) {
  economy.open = open;
  $('app').classList.toggle('economy-open', open);
  $('economy').hidden = !open;
  $('economy-toggle').setAttribute('aria-expanded', String(open));
  if (open) refreshEconomy();
}

// Asks the server for the month of the catalog in force and draws it, unless it is drawn
// already. One fetch at a time: a reload meanwhile asks again once this one is in.
export async function refreshEconomy() {
  if (!economy.open) return;
  if (economy.loading) {
    economy.again = true;
    return;
  }
  economy.loading = true;
  $('economy').dataset.state = economy.version ? 'updating' : 'loading';
  $('economy-note').textContent = 'Simulating a month of players on this catalog…';
  try {
    const month = await api('GET', '/economy');
    if (month.version !== economy.version) draw(month);
    else note(month);
    $('economy').dataset.state = 'ready';
  } catch (error) {
    $('economy').dataset.state = 'error';
    $('economy-note').textContent = error.message;
  } finally {
    economy.loading = false;
  }
  if (economy.again) {
    economy.again = false;
    refreshEconomy();
  }
}

function note(month) {
  const short = (version) => version.slice(0, 8);
  const took = `simulated in ${month.seconds.toFixed(1)} s`;
  const against = month.against_version
    ? `Dashed lines and pale bars: version ${short(month.against_version)}, the one simulated before it.`
    : 'Edit game_data/: after the reload this month is simulated again, and this one shows dashed beside it.';
  $('economy-note').textContent = `Catalog version ${short(month.version)}, ${took}. ${against}`;
}

function draw(month) {
  economy.version = month.version;
  $('economy-title').textContent = `${month.players.toLocaleString('en')} players × ${month.days} days`;
  note(month);
  $('economy-summary').textContent = month.summary;
  const charts = $('economy-charts');
  charts.textContent = '';
  const parser = new DOMParser();
  for (const chart of month.charts) {
    const svg = parser.parseFromString(chart.svg, 'image/svg+xml').documentElement;
    const figure = el('figure', 'econ-chart');
    figure.dataset.chartId = chart.id;
    figure.appendChild(document.importNode(svg, true));
    charts.appendChild(figure);
  }
}

// The topbar button and the panel's close button; `makeRoom(open)` runs before the panel opens
// or after it closes (sandbox.js folds the player panel on a wide screen).
export function wireEconomy(makeRoom) {
  $('economy-toggle').addEventListener('click', () => {
    const open = !economy.open;
    if (open) makeRoom(true);
    setEconomy(open);
    if (!open) makeRoom(false);
  });
  $('economy-close').addEventListener('click', () => {
    setEconomy(false);
    makeRoom(false);
  });
}
