// The console page: who is signed in, signing out, the sections; the overview loads on show,
// the Players tab on a search (or `#players/<id>`), the support inbox on show (its count at once),
// the Transactions tab on show and on each filter or page.

import { api, setCsrf } from './api.js';
import { $ } from './dom.js';
import { viewArgument, watchNavigation } from './nav.js';
import { loadItems } from './items.js';
import { loadOverview } from './overview.js';
import { initPlayers, showPlayer } from './players.js';
import { countSupport, initSupport, loadSupport } from './support.js';
import { initTransactions, loadTransactions } from './transactions.js';

function showProblem(text) {
  const node = $('problem');
  node.textContent = text;
  node.hidden = !text;
}

function onShow(view) {
  if (view === 'overview') loadOverview(showProblem);
  if (view === 'items') loadItems(showProblem);
  if (view === 'players' && viewArgument()) showPlayer(viewArgument(), showProblem);
  if (view === 'support') loadSupport(showProblem);
  if (view === 'transactions') loadTransactions(showProblem);
}

async function signOut() {
  try {
    await api('POST', '/logout');
  } catch (e) {
    showProblem(`Could not sign out: ${e.message}`);
    return;
  }
  window.location.replace('/admin/');
}

async function boot() {
  let session;
  try {
    session = await api('GET', '/session');
  } catch (e) {
    showProblem(e.message);
    return;
  }
  setCsrf(session.csrf);
  $('who').textContent = String(session.admin);
  $('sign-out').addEventListener('click', signOut);
  $('refresh').addEventListener('click', () => loadOverview(showProblem));
  initPlayers(showProblem);
  initTransactions(showProblem);
  $('items-refresh').addEventListener('click', () => loadItems(showProblem));
  initSupport(session.admin, showProblem);
  watchNavigation(onShow);
  countSupport();
  document.body.dataset.ready = '1';
}

boot();
