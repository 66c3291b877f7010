// The Players tab: find a player by numeric id or @username (GET /admin/api/players/<who>: a
// username is found among the players who wrote to the bot in private), their card (energy, gems, inventory, boosts) and every payment with its status;
// a paid payment has a Refund button that asks to confirm in place, then POST /admin/api/refund
// (the CLI's admin refund), shows what happened and reads the player again.
// Search → Refund → Confirm: three clicks.

import { api } from './api.js';
import { $, el } from './dom.js';
import { count, isPlayerQuery, playerTitle, stars } from './format.js';

let shownUser = null;

export function initPlayers(showProblem) {
  $('player-search').addEventListener('submit', (event) => {
    event.preventDefault();
    say('');
    loadPlayer($('player-id').value.trim(), showProblem);
  });
}

// Finds player `id` as if typed into the search (the address `#players/<id>`, e.g. from Support).
export function showPlayer(id, showProblem) {
  $('player-id').value = id;
  say('');
  loadPlayer(id, showProblem);
}

// What the last refund did, above the card ('' hides it).
function say(text, kind) {
  const node = $('refund-result');
  node.textContent = text;
  node.className = `result ${kind || ''}`;
  node.hidden = !text;
}

async function loadPlayer(who, showProblem) {
  const card = $('player-card');
  if (!isPlayerQuery(who)) {
    card.replaceChildren(el('p', 'empty', 'Enter a numeric Telegram user id or an @username.'));
    return;
  }
  let player;
  try {
    player = await api('GET', `/players/${encodeURIComponent(who)}`);
  } catch (e) {
    shownUser = null;
    card.replaceChildren(el('p', 'empty', e.message));
    return;
  }
  showProblem('');
  shownUser = player.user_id;
  card.replaceChildren(summary(player), payments(player, showProblem), gifts(player));
}

// Gifts given and received: each names the other player, linked to their card (a gift's payment
// and its Refund button are on the recipient's card: the record lives with what it granted).
function gifts(player) {
  const box = el('article', 'card');
  box.dataset.testid = 'player-gifts';
  box.append(el('h2', null, 'Gifts'));
  const given = player.gifts_given || [];
  const received = player.gifts_received || [];
  if (!given.length && !received.length) {
    box.append(el('p', 'muted', 'No gifts given or received.'));
    return box;
  }
  const list = el('ul', 'payments');
  const row = (gift, direction, other) => {
    const li = el('li', 'payment');
    li.dataset.charge = gift.telegram_payment_charge_id;
    const what = el('div', 'payment-what');
    const link = el('a', null, `#${other}`);
    link.href = `#players/${other}`;
    what.append(
      el('strong', null, gift.item_id),
      el('span', null, direction),
      link,
      el('span', null, stars(gift.amount)),
      el('span', `status status-${gift.status}`, gift.status.replace('_', ' ')),
    );
    const when = el('div', 'payment-when muted', `${gift.paid_at.slice(0, 19).replace('T', ' ')} UTC · `);
    when.append(el('code', 'wrap', gift.telegram_payment_charge_id));
    li.append(what, when);
    return li;
  };
  for (const gift of given) list.append(row(gift, 'given to', gift.to_user_id));
  for (const gift of received) list.append(row(gift, 'received from', gift.from_user_id));
  box.append(list);
  return box;
}

function summary(player) {
  const box = el('article', 'card');
  box.dataset.testid = 'player-summary';
  box.append(el('h2', null, playerTitle(player)));
  const facts = el('dl', 'facts');
  const fact = (name, value) => {
    const row = el('div');
    row.append(el('dt', null, name), el('dd', null, value));
    facts.append(row);
  };
  fact('Energy', `${count(player.energy)} / ${count(player.energy_max)}`);
  fact('Gems', count(player.gems));
  const items = Object.entries(player.inventory).map(([item, qty]) => `${item} × ${count(qty)}`);
  fact('Inventory', items.length ? items.join(', ') : 'nothing');
  const boosts = player.boosts.map((boost) => `${boost.item_id} until ${boost.expires_at.slice(0, 16).replace('T', ' ')}`);
  fact('Boosts', boosts.length ? boosts.join(', ') : 'none');
  const passes = (player.passes || []).map((pass) => {
    const until = pass.paid_until.slice(0, 16).replace('T', ' ');
    return `${pass.pass_id} ${pass.running ? 'until' : 'ended'} ${until} UTC`;
  });
  fact('Passes', passes.length ? passes.join(', ') : 'none');
  box.append(facts);
  return box;
}

function payments(player, showProblem) {
  const box = el('article', 'card');
  box.dataset.testid = 'player-payments';
  box.append(el('h2', null, 'Payments'));
  if (!player.payments.length) {
    box.append(el('p', 'muted', 'No payments.'));
    return box;
  }
  const list = el('ul', 'payments');
  for (const payment of [...player.payments].reverse()) list.append(paymentRow(player.user_id, payment, showProblem));
  box.append(list);
  return box;
}

function paymentRow(user, payment, showProblem) {
  const row = el('li', 'payment');
  row.dataset.charge = payment.telegram_payment_charge_id;
  const what = el('div', 'payment-what');
  what.append(
    el('strong', null, `${payment.item_id} × ${payment.quantity}`),
    el('span', null, stars(payment.amount)),
    el('span', `status status-${payment.status}`, payment.status.replace('_', ' ')),
  );
  const when = el('div', 'payment-when muted', `${payment.paid_at.slice(0, 19).replace('T', ' ')} UTC · `);
  when.append(el('code', 'wrap', payment.telegram_payment_charge_id));
  const actions = el('div', 'payment-actions');
  if (payment.refundable) actions.append(refundButton(user, payment, actions, showProblem));
  row.append(what, when, actions);
  return row;
}

function refundButton(user, payment, actions, showProblem) {
  const button = el('button', null, 'Refund');
  button.type = 'button';
  button.dataset.testid = 'refund';
  button.addEventListener('click', () => actions.replaceChildren(confirmation(user, payment, actions, showProblem)));
  return button;
}

// "Refund ⭐ 50 for energy and take it back? [Confirm] [Cancel]".
function confirmation(user, payment, actions, showProblem) {
  const box = el('div', 'confirm');
  box.append(el('span', null, `Refund ${stars(payment.amount)} for ${payment.item_id} and take it back?`));
  const yes = el('button', 'primary danger', 'Confirm refund');
  yes.type = 'button';
  yes.dataset.testid = 'confirm-refund';
  const no = el('button', 'ghost', 'Cancel');
  no.type = 'button';
  no.addEventListener('click', () => actions.replaceChildren(refundButton(user, payment, actions, showProblem)));
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    await refund(user, payment.telegram_payment_charge_id, showProblem);
  });
  box.append(yes, no);
  return box;
}

async function refund(user, charge, showProblem) {
  try {
    const report = await api('POST', '/refund', { user, charge });
    const kind = report.result === 'refunded' || report.result === 'already_refunded' ? 'good' : 'warn';
    say(report.message, kind);
  } catch (e) {
    say(`Refund failed: ${e.message}`, 'bad');
  }
  if (shownUser === user) await loadPlayer(String(user), showProblem);
}
