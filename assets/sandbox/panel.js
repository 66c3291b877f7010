// The side panel: the current user's player state as the bot stored it (energy, gems, inventory,
// what gems bought, running boosts, the Miner's Pass with "advance to the renewal", payments with
// Refund and Dispute) and the bot's Star ledger.
// Folds away on a wide screen, slides over the chat on a narrow one.

import { $, el } from './dom.js';
import { api } from './api.js';
import { copyText, sendText } from './composer.js';
import { clock, energyText, fmt, prettyId, timeLeft, whenMs } from './format.js';
import { page } from './state.js';
import { toast } from './status.js';
import { kick } from './sync.js';

// What the panel shows now: the player's answer and the answers' signatures (redrawn on change).
const panel = { player: null, playerSig: '', ledgerSig: '' };

export function resetPanel() {
  panel.player = null;
  panel.playerSig = '';
  for (const id of ['st-energy', 'st-gems', 'st-mined', 'st-depth']) $(id).textContent = '–';
  $('inventory').textContent = '';
  $('boosts').textContent = '';
  $('passes').textContent = '';
  $('payments').textContent = '';
  $('payments-count').textContent = '';
  $('player-error').hidden = true;
}

let panelTimer = 0;

export function refreshPanelSoon() {
  clearTimeout(panelTimer);
  panelTimer = setTimeout(refreshPanel, 250);
}

export async function refreshPanel() {
  if (page.user == null) return;
  const gen = page.gen;
  const [player, ledger] = await Promise.allSettled([api('GET', `/player/${page.user}`), api('GET', '/ledger')]);
  if (gen !== page.gen) return;
  if (player.status === 'fulfilled') {
    $('player-error').hidden = true;
    const sig = JSON.stringify(player.value);
    if (sig !== panel.playerSig) {
      panel.playerSig = sig;
      panel.player = player.value;
      renderPlayer(player.value);
    }
  } else {
    $('player-error').textContent = player.reason.message;
    $('player-error').hidden = false;
  }
  if (ledger.status === 'fulfilled') {
    const sig = JSON.stringify(ledger.value);
    if (sig !== panel.ledgerSig) {
      panel.ledgerSig = sig;
      renderLedger(ledger.value);
    }
  }
}

function renderPlayer(p) {
  const energy = $('st-energy');
  energy.textContent = energyText(p);
  energy.title =
    p.energy && p.energy.at
      ? `${p.energy.value} energy stored at ${whenMs(p.energy.at, new Date())}; it regenerates from there`
      : 'A new player starts with a full bar';
  $('st-gems').textContent = fmt(p.gems || 0);
  $('st-mined').textContent = fmt(p.mined || 0);
  $('st-depth').textContent = fmt(p.depth || 0);

  const inv = $('inventory');
  inv.textContent = '';
  const items = Object.entries(p.inventory || {}).filter(([, n]) => Number(n) > 0);
  const bought = Object.keys(p.upgrades || {}).length + (p.cosmetics || []).length;
  if (!items.length && !bought) inv.appendChild(el('li', 'empty', 'Nothing yet'));
  for (const [id, n] of items) {
    const li = el('li', '');
    li.dataset.item = id;
    li.dataset.count = String(n);
    li.title = id;
    li.append(el('span', '', prettyId(id)), el('b', '', `×${fmt(n)}`));
    inv.appendChild(li);
  }
  // What gems bought: upgrade levels and cosmetics.
  for (const [track, level] of Object.entries(p.upgrades || {})) {
    const li = el('li', 'upgrade');
    li.dataset.upgrade = track;
    li.append(el('span', '', `⬆️ ${prettyId(track)}`), el('b', '', `lv ${fmt(level)}`));
    inv.appendChild(li);
  }
  for (const cosmetic of p.cosmetics || []) {
    const li = el('li', 'upgrade');
    li.append(el('span', '', `🎨 ${prettyId(cosmetic)}`), el('b', '', 'owned'));
    inv.appendChild(li);
  }

  renderBoosts(p);
  renderPasses(p);

  const pays = $('payments');
  pays.textContent = '';
  const payments = Array.isArray(p.payments) ? [...p.payments] : [];
  payments.sort((a, b) => (Number(b.paid_at) || 0) - (Number(a.paid_at) || 0));
  $('payments-count').textContent = payments.length ? String(payments.length) : '';
  if (!payments.length) pays.appendChild(el('li', 'empty-note', 'No payments yet. Try /shop.'));
  for (const pay of payments) pays.appendChild(paymentNode(pay));
}

function renderBoosts(p) {
  const ul = $('boosts');
  ul.textContent = '';
  const now = Date.now();
  const boosts = Object.entries((p && p.boosts) || {}).filter(([, until]) => Number(until) > now);
  if (!boosts.length) {
    ul.appendChild(el('li', 'empty', 'No boost running'));
    return;
  }
  for (const [id, until] of boosts) {
    const li = el('li', 'boost');
    li.dataset.boost = id;
    li.dataset.until = String(until);
    li.append(el('span', '', prettyId(id)), el('span', 'left', timeLeft(Number(until) - now)));
    ul.appendChild(li);
  }
}

// Each pass the player paid for: until when it runs (our side), whether Telegram renews it (the
// emulator's side), and the controls that bring it to its period's end: charge the next month,
// or fail the charge (the pass then runs out).
function renderPasses(p) {
  const ul = $('passes');
  ul.textContent = '';
  const passes = (p && p.passes) || [];
  if (!passes.length) {
    ul.appendChild(el('li', 'empty-note', 'No pass yet. Try /pass.'));
    return;
  }
  const now = Date.now();
  for (const pass of passes) {
    const li = el('li', 'pass');
    li.dataset.pass = pass.id;
    li.dataset.testid = 'pass';
    const running = Number(pass.expires_at) > now;
    const telegram = pass.telegram || {};
    const renews = running && !pass.stopped_by_bot && !telegram.ended && !telegram.canceled_by;
    const state = running ? `runs until ${whenMs(pass.expires_at, new Date())}` : 'ended';
    const renewal = telegram.ended ? 'subscription ended' : telegram.canceled_by ? `renewals stopped by the ${telegram.canceled_by}` : 'renews';
    li.append(el('div', 'pay-line', `${pass.name}: ${state}`), el('div', 'pay-sub', renewal));
    li.dataset.renews = String(renews);
    if (!telegram.ended) {
      const actions = el('div', 'pay-actions');
      for (const [label, fail] of [['Advance to the renewal', false], ['Fail the renewal', true]]) {
        const button = el('button', `btn btn-small ${fail ? 'btn-danger' : 'btn-outline'}`, label);
        button.type = 'button';
        button.dataset.testid = fail ? 'pass-fail' : 'pass-renew';
        button.title = fail
          ? 'Telegram fails to charge the next month: nothing is charged, the pass runs out'
          : 'Telegram reaches the period end and charges the next month (no pre-checkout)';
        button.addEventListener('click', async () => {
          button.disabled = true;
          try {
            const answer = await api('POST', '/renew', { charge_id: pass.first_charge, fail });
            toast(`Renewal: ${answer.status}`, answer.status === 'renewed' ? 'ok' : 'info');
            kick();
          } catch (error) {
            toast(error.message, 'error');
            button.disabled = false;
          }
        });
        actions.appendChild(button);
      }
      li.appendChild(actions);
    }
    ul.appendChild(li);
  }
}

const STATUS_LABEL = { paid: 'paid', refund_pending: 'refund pending', refunded: 'refunded' };

function paymentNode(pay) {
  const li = el('li', 'payment');
  li.dataset.testid = 'payment';
  li.dataset.charge = pay.charge_id;
  li.dataset.status = pay.status;
  li.dataset.item = pay.item_id;
  const line = el('div', 'pay-line');
  const badge = el('span', `status ${pay.status}`, STATUS_LABEL[pay.status] || pay.status);
  badge.dataset.testid = 'payment-status';
  line.append(el('span', 'pay-item', prettyId(pay.item_id)), el('span', 'pay-sum', `${fmt(pay.amount)} ⭐`), badge);
  const sub = el('div', 'pay-sub');
  const charge = el('span', 'charge', pay.charge_id);
  charge.title = 'Copy the charge id';
  charge.addEventListener('click', () => copyText(pay.charge_id));
  sub.append(el('span', '', whenMs(pay.paid_at, new Date())));
  if (pay.refund_by) sub.append(el('span', '', `refund by ${pay.refund_by}`));
  sub.append(charge);
  li.append(line, sub);
  // What /refund would do: the server's refund policy decides, the panel only shows it.
  if (pay.status === 'paid' && pay.refund_note) {
    const note = el('div', 'refund-note', pay.refund_note);
    note.dataset.testid = `refund-note-${pay.charge_id}`;
    li.appendChild(note);
  }
  if (pay.status === 'paid' || pay.status === 'refund_pending') {
    const actions = el('div', 'pay-actions');
    if (pay.refundable) {
      const refund = el('button', 'btn btn-small btn-outline', 'Refund');
      refund.type = 'button';
      refund.dataset.testid = `refund-${pay.charge_id}`;
      refund.title = `Send /refund ${pay.charge_id} as this user: takes back ${pay.takes_back}`;
      refund.addEventListener('click', async () => {
        refund.disabled = true;
        refund.classList.add('busy');
        const ok = await sendText(`/refund ${pay.charge_id}`);
        if (!ok) {
          refund.disabled = false;
          refund.classList.remove('busy');
        }
      });
      actions.appendChild(refund);
    }
    const dispute = el('button', 'btn btn-small btn-danger', 'Dispute');
    dispute.type = 'button';
    dispute.dataset.testid = `dispute-${pay.charge_id}`;
    dispute.title = 'Telegram refunds the Stars on its side (a dispute); the bot gets refunded_payment';
    dispute.addEventListener('click', async () => {
      dispute.disabled = true;
      dispute.classList.add('busy');
      try {
        await api('POST', '/dispute', { user: page.user, charge_id: pay.charge_id });
        toast(`Telegram refunded ${fmt(pay.amount)} ⭐ (dispute)`, 'ok');
        kick();
      } catch (error) {
        toast(error.message, 'error');
        dispute.disabled = false;
        dispute.classList.remove('busy');
      }
    });
    actions.appendChild(dispute);
    li.appendChild(actions);
  }
  return li;
}

function renderLedger(data) {
  const balance = $('balance');
  balance.dataset.value = String(data.balance);
  balance.textContent = `${fmt(data.balance)} ⭐`;
  const ul = $('transactions');
  ul.textContent = '';
  const txs = Array.isArray(data.transactions) ? [...data.transactions].reverse() : [];
  if (!txs.length) ul.appendChild(el('li', 'empty-note', 'No Star transactions yet.'));
  for (const tx of txs) {
    const incoming = Boolean(tx.source);
    const partner = tx.source || tx.receiver || {};
    const user = partner.user || {};
    const li = el('li', `tx ${incoming ? 'in' : 'out'}`);
    li.dataset.testid = 'transaction';
    li.dataset.direction = incoming ? 'in' : 'out';
    li.dataset.charge = tx.id;
    li.dataset.amount = String(tx.amount);
    const name = user.first_name || (user.id != null ? `user ${user.id}` : partner.type || 'unknown');
    const payload = partner.invoice_payload ? String(partner.invoice_payload).split('.')[0] : '';
    li.append(
      el('span', 'tx-dir', incoming ? '↓' : '↑'),
      el('span', 'tx-who', incoming ? `From ${name}` : `Refund to ${name}`),
      el('span', 'tx-amt', `${incoming ? '+' : '−'}${fmt(tx.amount)} ⭐`),
      el('span', 'tx-sub', `${clock(tx.date)}${payload ? ` · ${prettyId(payload)}` : ''} · ${tx.id}`),
    );
    ul.appendChild(li);
  }
}

export function setPanel(open) {
  const app = $('app');
  const wide = matchMedia('(min-width: 981px)').matches;
  if (wide) app.classList.toggle('panel-folded', !open);
  else app.classList.toggle('panel-open', open);
  $('panel-toggle').setAttribute('aria-expanded', String(open));
  $('panel-backdrop').hidden = wide || !open;
  if (open) refreshPanel();
}

function panelIsOpen() {
  const app = $('app');
  return matchMedia('(min-width: 981px)').matches ? !app.classList.contains('panel-folded') : app.classList.contains('panel-open');
}

// The toggle, close and backdrop, and the boosts' countdown each second.
export function wirePanel() {
  $('panel-toggle').addEventListener('click', () => setPanel(!panelIsOpen()));
  $('panel-close').addEventListener('click', () => setPanel(false));
  $('panel-backdrop').addEventListener('click', () => setPanel(false));

  setInterval(() => {
    for (const li of $('boosts').querySelectorAll('li.boost')) {
      const left = Number(li.dataset.until) - Date.now();
      if (left <= 0) {
        renderBoosts(panel.player);
        return;
      }
      li.querySelector('.left').textContent = timeLeft(left);
    }
  }, 1000);
}
