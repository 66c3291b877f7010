// The pay sheet: Telegram's confirm step for an invoice message or an invoice link (from the chat
// or from inside the game), paid with sandbox Stars through /sandbox/api/pay and /pay-link.

import { $, el, svgIcon } from './dom.js';
import { api } from './api.js';
import { fmt } from './format.js';
import { page } from './state.js';
import { toast } from './status.js';
import { kick } from './sync.js';

const paidInvoices = new Set(); // "user:message" paid from this page

// Whether this page paid the invoice message `messageId` of the current user.
export function paidHere(messageId) {
  return paidInvoices.has(`${page.user}:${messageId}`);
}

let paying = null; // { resolve, opts, busy, outcome } while the sheet is open

export function openPaySheet(opts) {
  if (paying) finishPay('cancelled');
  return new Promise((resolve) => {
    paying = { resolve, opts, busy: false, outcome: null };
    const amount = opts.amount;
    $('pay-what').textContent = '';
    const what = $('pay-what');
    what.append(document.createTextNode('Buy '), el('b', '', opts.title || 'this item'), document.createTextNode(' from Starmine'));
    $('pay-desc').textContent = opts.description || '';
    $('pay-desc').hidden = !opts.description;
    const amt = $('pay-amount');
    amt.textContent = '';
    if (amount != null) {
      amt.append(svgIcon('i-star'), document.createTextNode(fmt(amount)));
      amt.hidden = false;
    } else amt.hidden = true;
    $('pay-error').hidden = true;
    $('pay-done').hidden = true;
    const confirm = $('confirm-pay');
    confirm.disabled = false;
    confirm.classList.remove('busy');
    confirm.hidden = false;
    confirm.textContent = amount != null ? `Pay ${fmt(amount)} ⭐ (sandbox Stars)` : 'Pay (sandbox Stars)';
    $('cancel-pay').textContent = 'Cancel';
    $('pay-wrap').hidden = false;
    confirm.focus();
  });
}

function finishPay(status) {
  if (!paying) return;
  const p = paying;
  paying = null;
  $('pay-wrap').hidden = true;
  try {
    p.resolve(status);
  } catch (_) {
    /* nothing */
  }
}

const PAY_FAILURES = {
  declined: 'The bot declined the payment',
  no_answer: 'The bot did not answer in time',
  unpayable: 'This invoice cannot be paid',
};

export function closePaySheet() {
  if (!paying || paying.busy) return;
  finishPay(paying.outcome || 'cancelled');
}

export function payInvoice(m, btn) {
  const inv = m.invoice;
  if (!inv) {
    toast('That button belongs to no invoice.', 'error');
    return;
  }
  openPaySheet({
    messageId: m.id,
    title: inv.title,
    description: inv.description,
    amount: inv.currency === 'XTR' ? inv.amount : null,
    onPaid: () => {
      paidInvoices.add(`${page.user}:${m.id}`);
      if (btn && btn.dataset.testid === 'pay') markPaid(btn);
    },
  });
}

export function markPaid(btn) {
  btn.classList.add('paid');
  btn.textContent = '✓ Paid';
  btn.dataset.paid = '1';
}

// Whether the open sheet is for a purchase from inside the game.
export function payingFromGame() {
  return Boolean(paying && paying.opts.fromGame);
}

// The sheet's Pay button.
export function wirePay() {
  $('confirm-pay').addEventListener('click', async () => {
    if (!paying || paying.busy) return;
    const p = paying;
    const confirm = $('confirm-pay');
    p.busy = true;
    confirm.disabled = true;
    confirm.classList.add('busy');
    confirm.textContent = 'Paying… waiting for the bot';
    $('pay-error').hidden = true;
    let res;
    try {
      res = p.opts.link
        ? await api('POST', '/pay-link', { user: page.user, link: p.opts.link })
        : await api('POST', '/pay', { user: page.user, message_id: p.opts.messageId });
    } catch (error) {
      res = { status: 'error', error: error.message };
    }
    if (paying !== p) return; // closed meanwhile
    p.busy = false;
    confirm.classList.remove('busy');
    confirm.disabled = false;
    kick();
    if (res.status === 'paid') {
      p.outcome = 'paid';
      const done = $('pay-done');
      done.textContent = `✓ Paid${p.opts.amount != null ? ` ${fmt(p.opts.amount)} ⭐` : ''}`;
      done.dataset.charge = res.charge_id || '';
      done.hidden = false;
      confirm.hidden = true;
      $('cancel-pay').textContent = 'Done';
      if (p.opts.onPaid) p.opts.onPaid(res);
      setTimeout(() => {
        if (paying === p) finishPay('paid');
      }, 900);
      return;
    }
    p.outcome = 'failed';
    const err = $('pay-error');
    err.dataset.status = res.status || 'error';
    err.textContent = '';
    err.append(el('b', '', PAY_FAILURES[res.status] || 'The payment failed'), document.createTextNode(res.error || 'No reason given.'));
    err.hidden = false;
    confirm.textContent = 'Try again';
    $('cancel-pay').textContent = 'Close';
  });
}
