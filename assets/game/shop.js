// The shop: the shelves with per-player availability, Buy, and the order box that follows one
// purchase (its invoice link, then the order's status polled until paid, expired or refunded).

import { $, autoDir, el } from './dom.js';
import { drawItemArt } from './art.js';
import { fmt } from './format.js';
import { renderHome } from './home.js';
import { openGift } from './gift.js';
import { friendlyError, receiptText } from './messages.js';
import { show, showError } from './screens.js';
import { api, loadMe, loadShop, webApp } from './session.js';
import { data, look, ui } from './state.js';
import { say } from './texts.js';

const KIND_LABEL = {
  permanent: () => say('page-kind-permanent', 'Keep forever'),
  bundle: () => say('page-kind-bundle', 'Bundle'),
  boost: () => say('page-kind-boost', 'Boost'),
  consumable: () => say('page-kind-consumable', 'Consumable'),
  skin: () => say('page-kind-skin', 'Skin'),
};

export async function openShop() {
  show('shop');
  renderShop();
  try {
    await Promise.all([loadShop(), data.me ? Promise.resolve() : loadMe()]);
    renderShop();
  } catch (e) {
    if (e.status !== 401) showError(friendlyError(e));
  }
}

function priceNode(n) {
  const span = el('span', 'price');
  span.append(document.createTextNode(`${fmt(n)} `), el('span', 'star', '⭐'));
  return span;
}

export function renderShop() {
  $('shop-gems').textContent = fmt(data.me ? data.me.gems : 0);
  const list = $('shop-list');
  list.textContent = '';
  const listed = data.shop && Array.isArray(data.shop.items) ? data.shop.items : null;
  if (!listed) {
    list.appendChild(el('li', 'muted', say('page-shop-loading', 'Loading the shelves…')));
    return;
  }
  // Retired items come along only so home can describe what players still hold.
  const items = listed.filter((item) => !item.retired);
  if (!items.length) list.appendChild(el('li', 'muted', say('page-shop-empty', 'The shop is empty right now.')));
  for (const item of items) list.appendChild(shopCard(item));
}

// One item's card: what it is, stock left, and Buy — or, when the server says this player
// can't buy it now (sold out, limit reached, owned), Buy off with that reason.
function shopCard(item) {
  const owned = Number(item.owned) || 0;
  const reason = item.can_buy === false && item.unavailable ? item.unavailable : null;
  const li = el('li', 'item' + (reason && reason.code === 'already_owned' ? ' owned' : ''));
  li.dataset.itemId = item.id;
  const art = el('div', 'item-art');
  const cv = el('canvas');
  drawItemArt(cv, item, look.skin);
  art.appendChild(cv);
  const head = el('div', 'item-head');
  // `dir=auto`: an item's words run their own way (an English name stays readable in a Persian page).
  head.appendChild(autoDir(el('span', 'item-name', item.name || item.id)));
  if (item.kind && KIND_LABEL[item.kind]) head.appendChild(el('span', `kind ${item.kind}`, KIND_LABEL[item.kind]()));
  if (owned > 0 && item.kind !== 'permanent') head.appendChild(el('span', 'owned-badge', item.owned_text));
  if (item.left != null) {
    const left = el('span', 'stock-left' + (Number(item.left) === 0 ? ' none' : ''), Number(item.left) === 0 ? say('page-shop-none-left', 'None left') : item.left_text);
    left.setAttribute('data-testid', `left-${item.id}`);
    head.appendChild(left);
  }
  const desc = autoDir(el('div', 'item-desc', item.description || ''));
  const foot = el('div', 'item-foot');
  if (item.effect) foot.appendChild(autoDir(el('span', 'effect', item.effect)));
  const btn = el('button', 'btn buy');
  btn.type = 'button';
  btn.setAttribute('data-testid', `buy-${item.id}`);
  if (reason) {
    btn.disabled = true;
    btn.textContent = reason.label;
  } else {
    btn.append(el('span', '', say('page-buy', 'Buy')), priceNode(item.price_stars));
    btn.addEventListener('click', () => buy(item));
  }
  // A gift counts for the friend (their limit, what they own), so only stock or a retired item
  // keeps it off; the server says why a gift to someone cannot go.
  if (item.left == null || Number(item.left) > 0) {
    const gift = el('button', 'btn gift', '🎁');
    gift.type = 'button';
    gift.setAttribute('data-testid', `gift-${item.id}`);
    gift.setAttribute('aria-label', say('page-gift', 'Gift'));
    gift.title = say('page-gift', 'Gift');
    gift.addEventListener('click', () => openGift(item, ORDER_BOX));
    foot.appendChild(gift);
  }
  foot.appendChild(btn);
  li.append(art, head, desc, foot);
  if (reason) {
    const why = el('div', 'item-why', reason.text);
    why.setAttribute('data-testid', `why-${item.id}`);
    li.appendChild(why);
  }
  return li;
}

// The order box, as gift.js drives it.
const ORDER_BOX = { start: startOrder, stop: stopOrder, status: setOrderStatus };

const ORDER_POLL_MS = 1500;
const ORDER_POLL_LIMIT_MS = 10 * 60 * 1000;
let order = null; // { gen, id, link, amount, item, gift, started, timer }
let orderGen = 0;

export function stopOrder() {
  orderGen++;
  if (order && order.timer) clearTimeout(order.timer);
  order = null;
  $('gift-friends').hidden = true;
}

function setOrderStatus(status, text) {
  const st = $('order-status');
  st.dataset.status = status;
  st.textContent = '';
  st.append(el('span', 'dot'), el('span', '', text));
}

function showPayLink(link, amount, label) {
  const a = $('pay-link');
  a.textContent = '';
  a.append(document.createTextNode(`${label || `Pay ${fmt(amount)}`} `), el('span', 'star', '⭐'));
  a.href = link;
  a.dataset.link = link;
  a.hidden = false;
}

// The pay link (Telegram's invoice, or a new tab) and the order box's close button.
export function wireShop() {
  $('pay-link').addEventListener('click', (e) => {
    e.preventDefault();
    const link = $('pay-link').dataset.link;
    if (!link) return;
    const wa = webApp();
    if (wa && typeof wa.openInvoice === 'function') {
      openInvoice(link, orderGen);
      return;
    }
    window.open(link, '_blank');
  });

  $('order-close').addEventListener('click', () => {
    stopOrder();
    $('order').hidden = true;
  });
}

function openInvoice(link, gen) {
  const wa = webApp();
  try {
    wa.openInvoice(link, (status) => {
      // UX only: the server decides, from Telegram's successful_payment.
      if (gen !== orderGen || !order) return;
      if (status === 'paid') setOrderStatus('open', say('page-order-sent', 'Payment sent — confirming with Telegram…'));
      else if (status === 'cancelled') setOrderStatus('open', say('page-order-cancelled', 'Payment cancelled — nothing was charged. You can still pay below.'));
      else if (status === 'failed') setOrderStatus('open', say('page-order-failed', 'The payment did not go through — nothing was charged. You can try again below.'));
    });
  } catch (_) {
    window.open(link, '_blank');
  }
}

function buy(item) {
  stopOrder();
  $('order').hidden = false;
  $('order-title').textContent = item.name || item.id;
  return startOrder(item, () => api('POST', '/api/buy', { item_id: item.id }), false);
}

// Creates the order (`request`: the API call, a purchase or a gift), shows its pay link and
// polls it to its end, in the order box.
async function startOrder(item, request, gift) {
  const gen = orderGen;
  $('pay-link').hidden = true;
  setOrderStatus('creating', say('page-order-creating', 'Creating your invoice…'));
  let res;
  try {
    res = await request();
  } catch (e) {
    if (gen !== orderGen) return;
    // One message, in the order box: the server's own sentence for a refusal, plain words
    // otherwise. A refusal means the shop changed (sold out, limit): show it as it is now.
    setOrderStatus(e.code ? 'refused' : 'error', friendlyError(e));
    if (e.code) loadShop().then(renderShop, () => {});
    return;
  }
  if (gen !== orderGen) return;
  order = { gen, id: res.order_id, link: res.invoice_link, amount: res.amount, item, gift, started: Date.now(), timer: 0 };
  setOrderStatus('open', say('page-order-waiting', 'Waiting for payment…'));
  showPayLink(res.invoice_link, res.amount != null ? res.amount : item.price_stars, res.pay_text);
  const wa = webApp();
  if (wa && typeof wa.openInvoice === 'function') openInvoice(res.invoice_link, gen);
  order.timer = setTimeout(() => pollOrder(gen), ORDER_POLL_MS);
}

async function pollOrder(gen) {
  if (!order || gen !== orderGen || ui.screen !== 'shop') return;
  if (Date.now() - order.started > ORDER_POLL_LIMIT_MS) {
    setOrderStatus('timeout', say('page-order-timeout', 'Still no payment. If you paid, your item will show up in a moment.'));
    return;
  }
  let res = null;
  try {
    res = await api('GET', `/api/orders/${encodeURIComponent(order.id)}`);
  } catch (e) {
    if (gen !== orderGen) return;
    if (e.status === 401) return;
    if (e.status === 404 || e.status === 403) {
      setOrderStatus('error', say('page-order-unknown', 'This order is no longer known — tap Buy to start again.'));
      return;
    }
    // a hiccup: keep polling
  }
  if (!order || gen !== orderGen) return;
  const status = res && res.status;
  if (status === 'paid') {
    // The one message of a purchase: in the order box, saying what happens next.
    const done = order.gift
      ? say('page-order-gifted', 'Gift sent! Your friend has it now, with a message from you in the chat.')
      : `${say('page-order-purchased', 'Purchased!')} ${receiptText(order.item)}`;
    setOrderStatus('paid', done);
    $('pay-link').hidden = true;
    order = null;
    await Promise.allSettled([loadMe(), loadShop()]);
    renderHome();
    if (ui.screen === 'shop') renderShop();
    return;
  }
  if (status === 'expired') {
    setOrderStatus('expired', say('page-order-expired', 'The invoice expired. Tap Buy to try again.'));
    $('pay-link').hidden = true;
    return;
  }
  if (status === 'refunded') {
    setOrderStatus('refunded', say('page-order-refunded', 'This purchase was refunded.'));
    $('pay-link').hidden = true;
    return;
  }
  order.timer = setTimeout(() => pollOrder(gen), ORDER_POLL_MS);
}
