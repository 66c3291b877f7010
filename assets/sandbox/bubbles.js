// The chat's messages as Telegram draws them: text bubbles with tappable commands, links and charge
// ids, invoice and game cards, payment and refund service lines, inline keyboards; and what a tap
// on a button does (a callback press, a URL, an invoice link, Pay, Play).

import { el, svgIcon } from './dom.js';
import { api } from './api.js';
import { clock, fmt, gameTitle } from './format.js';
import { openGame } from './game_frame.js';
import { isInvoiceLink, tokenize } from './parse.js';
import { markPaid, openPaySheet, paidHere, payInvoice } from './pay.js';
import { page } from './state.js';
import { showAlert, toast } from './status.js';
import { kick } from './sync.js';

function metaNode(m) {
  const meta = el('span', 'meta');
  if (m.edited) meta.appendChild(el('span', 'edited', 'edited'));
  meta.appendChild(el('span', 'time', clock(m.date)));
  if (m.from === 'user') meta.appendChild(svgIcon('i-check2', 'ticks'));
  return meta;
}

function metaSpace(m) {
  const sp = el('span', 'meta-space');
  sp.style.width = `${(m.edited ? 82 : 44) + (m.from === 'user' ? 20 : 0)}px`;
  return sp;
}

// Plain text with tappable commands and links (as Telegram shows a bot's text).
function richText(text) {
  const frag = document.createDocumentFragment();
  for (const piece of tokenize(text)) {
    if (piece.kind === 'text') {
      frag.appendChild(document.createTextNode(piece.text));
      continue;
    }
    let node;
    if (piece.kind === 'url') {
      node = el('a', '', piece.text);
      node.href = piece.text;
      node.target = '_blank';
      node.rel = 'noopener noreferrer';
    } else if (piece.kind === 'command') {
      node = el('span', 'cmd', piece.text);
      node.dataset.command = piece.text;
      node.setAttribute('role', 'link');
      node.title = `Send ${piece.text}`;
    } else {
      node = el('span', 'mono', piece.text);
      node.dataset.copy = piece.text;
      node.title = 'Copy the charge id';
    }
    frag.appendChild(node);
  }
  return frag;
}

export function buildMessage(m) {
  if (m.kind === 'payment' || m.kind === 'refund') return buildService(m);
  const wrap = el('div', `msg from-${m.from === 'bot' ? 'bot' : 'user'}`);
  wrap.dataset.testid = 'message';
  wrap.dataset.id = String(m.id);
  wrap.dataset.from = m.from;
  wrap.dataset.kind = m.invoice ? 'invoice' : m.game ? 'game' : 'text';
  wrap.dataset.date = String(m.date || 0);
  const rows = Array.isArray(m.buttons) ? m.buttons : [];
  let bubble;
  if (m.invoice) {
    bubble = buildInvoice(m, rows);
    wrap.classList.add('wide');
  } else if (m.game) {
    bubble = buildGame(m, rows);
    wrap.classList.add('wide');
  } else {
    bubble = el('div', 'bubble');
    const text = el('div', 'text');
    if (m.text != null && m.text !== '') text.appendChild(richText(m.text));
    else text.appendChild(el('i', 'muted', 'This message is not supported by the sandbox page'));
    text.appendChild(metaSpace(m));
    bubble.append(text, metaNode(m));
  }
  wrap.appendChild(bubble);
  const keyboard = buildKeyboard(m, rows);
  if (keyboard) {
    // As in Telegram, a keyboard spans the chat's message width, however short the text.
    wrap.appendChild(keyboard);
    wrap.classList.add('wide');
  }
  return wrap;
}

function buildService(m) {
  const p = m.payment || {};
  const amount = p.amount != null ? `${fmt(p.amount)} ⭐` : 'Stars';
  const box = el('div', `service service-${m.kind}`);
  box.dataset.testid = 'message';
  box.dataset.id = String(m.id);
  box.dataset.from = m.from;
  box.dataset.kind = m.kind;
  box.dataset.date = String(m.date || 0);
  if (p.charge_id) box.dataset.charge = p.charge_id;
  const mine = m.from === 'user';
  const who = mine ? 'You' : 'The user';
  box.appendChild(
    document.createTextNode(
      m.kind === 'payment' ? `${who} paid ${amount} to Starmine` : `Starmine refunded ${amount}${mine ? ' to you' : ''}`,
    ),
  );
  if (p.charge_id) {
    const sub = el('span', 'sub', p.charge_id);
    sub.dataset.copy = p.charge_id;
    sub.title = 'Copy the charge id';
    box.appendChild(sub);
  }
  return box;
}

function buildGame(m) {
  const bubble = el('div', 'bubble card-bubble game-card');
  bubble.dataset.testid = 'game';
  const title = gameTitle(m.game);
  const media = el('div', 'media game-media');
  media.title = `Play ${title}`;
  const logo = el('div', 'logo');
  const words = title.split(' ');
  logo.append(el('b', '', words[0] || title), el('span', '', words.slice(1).join(' ').toUpperCase() || 'GAME'));
  media.append(el('span', 'play-badge', 'GAME'), logo);
  media.addEventListener('click', () => {
    const btn = bubble.parentElement && bubble.parentElement.querySelector('[data-game="1"]');
    if (btn) btn.click();
    else playGame(m, null);
  });
  const body = el('div', 'card-text');
  body.append(el('div', 'card-title', `🎮 ${title}`), el('div', 'card-desc', 'An HTML5 arcade run: tap the ores before they crumble.'), metaNode(m));
  bubble.append(media, body);
  return bubble;
}

function buildInvoice(m, rows) {
  const inv = m.invoice;
  const xtr = inv.currency === 'XTR';
  const bubble = el('div', 'bubble card-bubble invoice');
  bubble.dataset.testid = 'invoice';
  bubble.dataset.id = String(m.id);
  bubble.dataset.amount = String(inv.amount);
  const media = el('div', 'media invoice-media');
  const tag = el('span', 'invoice-tag');
  tag.append(document.createTextNode(xtr ? `${fmt(inv.amount)} ⭐ ` : `${fmt(inv.amount)} ${inv.currency} `), el('small', '', 'INVOICE'));
  media.append(svgIcon('i-star', 'pay-star'), tag);
  const body = el('div', 'card-text');
  const amount = el('div', 'invoice-amount');
  amount.append(document.createTextNode(xtr ? `${fmt(inv.amount)} ⭐` : `${fmt(inv.amount)}`), el('span', 'cur', xtr ? 'Telegram Stars' : inv.currency));
  body.append(el('div', 'card-title', inv.title), el('div', 'card-desc', inv.description), amount, metaNode(m));
  // The Pay button: the keyboard's pay button if the bot sent one, else Telegram's default.
  const payButton = rows.flat().find((b) => b.pay);
  const label = payButton ? payButton.text : xtr ? `Pay ${fmt(inv.amount)} ⭐` : `Pay ${fmt(inv.amount)} ${inv.currency}`;
  const pay = el('button', 'btn btn-primary invoice-pay', label);
  pay.type = 'button';
  pay.dataset.testid = 'pay';
  pay.dataset.id = String(m.id);
  if (paidHere(m.id) || inv.paid) markPaid(pay);
  pay.addEventListener('click', () => payInvoice(m, pay));
  bubble.append(media, body, pay);
  return bubble;
}

function buildKeyboard(m, rows) {
  const kb = el('div', 'kbd');
  for (const row of rows) {
    const r = el('div', 'kbd-row');
    for (const b of row) {
      if (m.invoice && b.pay) continue; // drawn inside the invoice card
      const btn = el('button', 'kbd-btn');
      btn.type = 'button';
      btn.dataset.testid = 'button';
      btn.dataset.text = b.text;
      if (b.data != null) btn.dataset.data = b.data;
      if (b.game) {
        btn.dataset.game = '1';
        btn.textContent = /^play\b/i.test(b.text) && m.game ? `🎮 Play ${gameTitle(m.game)}` : b.text;
      } else btn.textContent = b.text;
      if (b.url) {
        btn.dataset.url = b.url;
        btn.appendChild(svgIcon('i-link', 'corner'));
        btn.title = b.url;
      }
      btn.addEventListener('click', () => pressButton(m, b, btn));
      r.appendChild(btn);
    }
    if (r.children.length) kb.appendChild(r);
  }
  return kb.children.length ? kb : null;
}

async function pressButton(m, b, btn) {
  if (b.url) {
    if (isInvoiceLink(b.url)) {
      openPaySheet({ link: b.url, title: 'Invoice', description: 'An invoice link from the bot' });
      return;
    }
    window.open(b.url, '_blank', 'noopener');
    return;
  }
  if (b.pay) {
    payInvoice(m, btn);
    return;
  }
  if (b.game) {
    playGame(m, btn);
    return;
  }
  if (b.data == null) {
    toast('The sandbox cannot press this kind of button.', 'error');
    return;
  }
  btn.classList.add('busy');
  try {
    const answer = await api('POST', '/press', { user: page.user, message_id: m.id, data: b.data });
    handleAnswer(answer);
  } catch (error) {
    toast(error.message, 'error');
  } finally {
    btn.classList.remove('busy');
    kick(true);
  }
}

function handleAnswer(answer) {
  if (!answer) return;
  if (answer.text) {
    if (answer.alert) showAlert(answer.text);
    else toast(answer.text);
  }
}

async function playGame(m, btn) {
  if (btn) btn.classList.add('busy');
  try {
    const answer = await api('POST', '/press', { user: page.user, message_id: m.id });
    if (answer.url) openGame(answer.url);
    else toast(answer.text || 'The bot did not open the game (no URL in its answer).', answer.text ? '' : 'error');
    if (answer.url && answer.text) toast(answer.text);
  } catch (error) {
    toast(error.message, 'error');
  } finally {
    if (btn) btn.classList.remove('busy');
    kick();
  }
}
