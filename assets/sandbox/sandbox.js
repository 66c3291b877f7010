/*
 * The Starmine sandbox page: a Telegram-like private chat with the bot, driven through the
 * sandbox control API (/sandbox/api/*) on this same origin.
 *
 * Plain browser JavaScript, no build step, no third-party code.
 */
(() => {
  'use strict';

  const API = '/sandbox/api';
  const POLL_MS = 700; // new messages
  const FULL_SYNC_MS = 4000; // the whole chat again, for edits and deletions
  const PANEL_MS = 2500; // player state and ledger
  const NEAR_BOTTOM_PX = 140;

  // The bot's menu, used until (or if) /sandbox/api/commands answers.
  const FALLBACK_COMMANDS = [
    ['start', 'What Starmine is and how to play'],
    ['dig', 'Dig for gems'],
    ['me', 'Your energy, gems, depth and boosts'],
    ['top', 'The best miners'],
    ['play', 'Play Starmine Rush, the arcade run'],
    ['shop', 'Items for sale'],
    ['buy', 'Buy an item: /buy <item>'],
    ['inventory', 'What you own'],
    ['use', 'Use an item: /use <item>'],
    ['refund', 'Refund a recent purchase'],
    ['terms', 'Terms of sale'],
    ['paysupport', 'Help with a payment'],
  ].map(([command, description]) => ({ command, description }));
  // Commands that need an argument: tapping them fills the composer instead of sending.
  const NEEDS_ARGUMENT = new Set(['buy', 'use']);

  const AVATAR_COLORS = ['#e17076', '#7bc862', '#e5ca77', '#65aadd', '#a695e7', '#ee7aae', '#6ec9cb', '#faa774'];

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  const $ = (id) => document.getElementById(id);

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = String(text);
    return node;
  }

  function svgIcon(name, cls) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', cls || 'ico');
    svg.setAttribute('aria-hidden', 'true');
    const use = document.createElementNS(ns, 'use');
    use.setAttribute('href', `#${name}`);
    svg.appendChild(use);
    return svg;
  }

  const fmt = (n) => (Number.isFinite(Number(n)) ? Number(n).toLocaleString('en-US') : '–');

  function pad2(n) {
    return String(n).padStart(2, '0');
  }

  function clock(unixSeconds) {
    if (!unixSeconds) return '';
    const d = new Date(unixSeconds * 1000);
    return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  }

  function dayLabel(unixSeconds) {
    const d = new Date(unixSeconds * 1000);
    const today = new Date();
    const yesterday = new Date(Date.now() - 86_400_000);
    if (d.toDateString() === today.toDateString()) return 'Today';
    if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
    return d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: d.getFullYear() === today.getFullYear() ? undefined : 'numeric' });
  }

  function whenMs(ms) {
    if (!ms) return '';
    const d = new Date(Number(ms));
    const sameDay = d.toDateString() === new Date().toDateString();
    const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
    return sameDay ? time : `${d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} ${time}`;
  }

  function timeLeft(ms) {
    if (ms <= 0) return 'ending';
    const s = Math.ceil(ms / 1000);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    if (h) return `${h}h ${pad2(m)}m`;
    if (m) return `${m}m ${pad2(sec)}s`;
    return `${sec}s`;
  }

  // "energy_refill" -> "Energy Refill"
  function prettyId(id) {
    return String(id || '')
      .split(/[_\-\s]+/)
      .filter(Boolean)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ');
  }

  function initials(name) {
    const words = String(name || '?')
      .replace(/\(.*?\)/g, '')
      .trim()
      .split(/\s+/);
    return ((words[0] || '?').charAt(0) + (words[1] ? words[1].charAt(0) : '')).toUpperCase();
  }

  function avatarColor(id) {
    return AVATAR_COLORS[Math.abs(Number(id) || 0) % AVATAR_COLORS.length];
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' }, cache: 'no-store' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(API + path, init);
    } catch (_) {
      setOnline(false);
      throw new ApiError(0, 'The sandbox server does not answer. Is `starmine serve` still running?');
    }
    setOnline(true);
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
    if (!res.ok) {
      const msg = data && data.error ? data.error : `HTTP ${res.status}`;
      throw new ApiError(res.status, msg);
    }
    return data || {};
  }

  // ---------------------------------------------------------------------------------------------
  // State

  const S = {
    users: [],
    user: null, // the current user id
    gen: 0, // bumped on every user switch; stale answers are dropped
    messages: new Map(), // id -> { m, sig, node }
    lastId: 0,
    loaded: false,
    polling: false,
    syncing: false,
    commands: FALLBACK_COMMANDS,
    paidInvoices: new Set(), // "user:message" paid from this page
    player: null,
    playerSig: '',
    ledgerSig: '',
    online: true,
    unread: 0,
  };

  const scroller = $('scroller');
  const list = $('messages');
  const composer = $('composer');

  function currentUser() {
    return S.users.find((u) => u.id === S.user) || null;
  }

  // ---------------------------------------------------------------------------------------------
  // Status line, toasts, alerts

  let statusTimer = 0;

  function setOnline(online) {
    if (online === S.online) return;
    S.online = online;
    const st = $('peer-status');
    st.classList.toggle('offline', !online);
    st.textContent = online ? 'bot' : 'waiting for the sandbox server…';
  }

  function showBusy(text) {
    if (!S.online) return;
    const st = $('peer-status');
    clearTimeout(statusTimer);
    st.classList.add('busy');
    st.textContent = text;
    statusTimer = setTimeout(() => {
      st.classList.remove('busy');
      if (S.online) st.textContent = 'bot';
    }, 1600);
  }

  function clearBusy() {
    clearTimeout(statusTimer);
    const st = $('peer-status');
    st.classList.remove('busy');
    if (S.online) st.textContent = 'bot';
  }

  function toast(text, kind, ms) {
    const t = el('div', `toast ${kind || ''}`, text);
    t.dataset.testid = 'toast';
    $('toasts').appendChild(t);
    const life = ms || (kind === 'error' ? 6000 : 3000);
    setTimeout(() => {
      t.classList.add('leaving');
      setTimeout(() => t.remove(), 300);
    }, life);
  }

  function showAlert(text) {
    $('alert-text').textContent = text;
    $('alert-wrap').hidden = false;
    $('alert-wrap').querySelector('[data-close="alert"].btn').focus();
  }

  // ---------------------------------------------------------------------------------------------
  // Users

  async function loadUsers(selectId) {
    const data = await api('GET', '/users');
    const users = Array.isArray(data.users) ? data.users : [];
    const same = JSON.stringify(users) === JSON.stringify(S.users);
    S.users = users;
    // Rebuilding the options would close an open drop-down: only when something changed.
    if (!same || selectId != null) renderUserSwitch(selectId != null ? selectId : S.user);
  }

  function userLabel(u) {
    const admin = u.admin && !/admin/i.test(u.name) ? ' · admin' : '';
    return `${u.name}${admin}`;
  }

  function renderUserSwitch(selected) {
    const sel = $('user-switch');
    sel.textContent = '';
    for (const u of S.users) {
      const o = el('option', '', userLabel(u));
      o.value = String(u.id);
      o.dataset.admin = u.admin ? '1' : '0';
      sel.appendChild(o);
    }
    const add = el('option', '', '＋ Add a user…');
    add.value = 'add';
    sel.appendChild(add);
    if (selected != null && S.users.some((u) => u.id === selected)) sel.value = String(selected);
  }

  function initialUser() {
    const fromHash = Number(new URLSearchParams(location.hash.replace(/^#/, '')).get('user'));
    if (S.users.some((u) => u.id === fromHash)) return fromHash;
    let saved = NaN;
    try {
      saved = Number(localStorage.getItem('starmine-sandbox-user'));
    } catch (_) {
      /* storage off */
    }
    if (S.users.some((u) => u.id === saved)) return saved;
    const player = S.users.find((u) => !u.admin);
    return (player || S.users[0] || { id: null }).id;
  }

  function switchUser(id) {
    if (id == null) return;
    S.gen++;
    S.user = id;
    S.messages.clear();
    S.lastId = 0;
    S.loaded = false;
    S.player = null;
    S.playerSig = '';
    S.unread = 0;
    list.textContent = '';
    $('intro').hidden = true;
    $('to-bottom').hidden = true;
    $('user-switch').value = String(id);
    const u = currentUser();
    const av = $('me-avatar');
    av.textContent = initials(u ? u.name : '?');
    av.style.background = avatarColor(id);
    const title = $('panel-title');
    title.textContent = u ? u.name.replace(/\s*\(admin\)\s*/i, '') : String(id);
    if (u && u.admin) title.appendChild(el('span', 'admin-badge', 'admin'));
    title.appendChild(el('span', 'muted', `#${id}`));
    try {
      localStorage.setItem('starmine-sandbox-user', String(id));
    } catch (_) {
      /* storage off */
    }
    history.replaceState(null, '', `#user=${id}`);
    document.body.dataset.user = String(id);
    resetPanel();
    fullSync(true);
    refreshPanel();
  }

  $('user-switch').addEventListener('change', (e) => {
    const v = e.target.value;
    if (v === 'add') {
      e.target.value = String(S.user);
      openUserSheet();
      return;
    }
    switchUser(Number(v));
  });

  function openUserSheet() {
    $('user-error').hidden = true;
    $('user-name').value = '';
    $('user-wrap').hidden = false;
    setTimeout(() => $('user-name').focus(), 50);
  }

  $('user-sheet').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = $('user-name').value.trim();
    const err = $('user-error');
    if (!name) {
      err.textContent = 'Give the new user a name.';
      err.hidden = false;
      return;
    }
    try {
      const made = await api('POST', '/users', { name });
      await loadUsers(made.id);
      $('user-wrap').hidden = true;
      switchUser(made.id);
      toast(`${made.name} joined the sandbox`, 'ok');
    } catch (error) {
      err.textContent = error.message;
      err.hidden = false;
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Chat: fetching

  function signature(m) {
    return JSON.stringify(m);
  }

  async function poll() {
    if (S.polling || !S.loaded || S.user == null) return;
    S.polling = true;
    const gen = S.gen;
    try {
      const data = await api('GET', `/chat/${S.user}?after=${S.lastId}`);
      if (gen !== S.gen) return;
      const fresh = (data.messages || []).filter((m) => !S.messages.has(m.id));
      if (fresh.length) applyMessages(fresh, false);
    } catch (_) {
      /* shown in the status line; try again next tick */
    } finally {
      S.polling = false;
    }
  }

  async function fullSync(first) {
    if (S.user == null || (S.syncing && !first)) return;
    S.syncing = true;
    const gen = S.gen;
    try {
      const data = await api('GET', `/chat/${S.user}`);
      if (gen !== S.gen) return;
      applyMessages(data.messages || [], true, first);
      S.loaded = true;
    } catch (error) {
      if (first && gen === S.gen) toast(error.message, 'error');
    } finally {
      S.syncing = false;
    }
  }

  // Asks again soon: after the user acts, the bot answers within a moment. `edits`: the act
  // was a button press, whose answer is often an edit of that same message (a shop page, the
  // live dig), which only the whole chat shows: fetch it right away too.
  function kick(edits) {
    if (edits) {
      setTimeout(() => fullSync(false), 60);
      setTimeout(() => fullSync(false), 600);
    }
    setTimeout(poll, 120);
    setTimeout(poll, 450);
    setTimeout(() => fullSync(false), 1300);
    setTimeout(refreshPanel, 500);
    setTimeout(refreshPanel, 1500);
  }

  // ---------------------------------------------------------------------------------------------
  // Chat: rendering

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  }

  function scrollToBottom(smooth) {
    const top = scroller.scrollHeight;
    if (smooth) scroller.scrollTo({ top, behavior: 'smooth' });
    else scroller.scrollTop = top;
    S.unread = 0;
    updateUnread();
  }

  function updateUnread() {
    const atBottom = nearBottom();
    if (atBottom) S.unread = 0;
    $('to-bottom').hidden = atBottom;
    const badge = $('unread');
    badge.hidden = S.unread <= 0;
    badge.textContent = String(S.unread);
  }

  let scrollIdle = 0;
  scroller.addEventListener(
    'scroll',
    () => {
      updateUnread();
      scroller.classList.add('scrolling');
      clearTimeout(scrollIdle);
      scrollIdle = setTimeout(() => {
        scroller.classList.remove('scrolling');
        markFloatingDays();
      }, 900);
    },
    { passive: true },
  );

  // The date pills now stuck to the top (their own place is above the view).
  function markFloatingDays() {
    const top = scroller.getBoundingClientRect().top;
    for (const d of list.querySelectorAll('.day')) {
      // stuck: it overlaps what follows it, which it never does in its own place
      const next = d.nextElementSibling;
      const r = d.getBoundingClientRect();
      const stuck = r.top - top <= 8 && Boolean(next) && next.getBoundingClientRect().top < r.bottom;
      d.classList.toggle('floating', stuck);
    }
  }
  $('to-bottom').addEventListener('click', () => scrollToBottom(true));

  // `all`: the list is the whole chat (messages missing from it were deleted).
  function applyMessages(messages, all, first) {
    const wasNear = nearBottom();
    let added = 0;
    let changed = false;
    let fromMe = false;
    const seen = new Set();
    for (const m of messages) {
      seen.add(m.id);
      const sig = signature(m);
      const known = S.messages.get(m.id);
      if (known) {
        if (known.sig === sig) continue;
        const node = buildMessage(m);
        known.node.replaceWith(node);
        S.messages.set(m.id, { m, sig, node });
        changed = true;
        continue;
      }
      const node = buildMessage(m);
      insertInOrder(m.id, node);
      S.messages.set(m.id, { m, sig, node });
      added++;
      if (m.from === 'user' && m.kind === 'text') fromMe = true;
      if (m.from === 'bot' && !first) clearBusy();
      S.lastId = Math.max(S.lastId, m.id);
    }
    if (all) {
      for (const [id, entry] of [...S.messages]) {
        if (!seen.has(id)) {
          entry.node.remove();
          S.messages.delete(id);
          changed = true;
        }
      }
    }
    if (!added && !changed && !first) return;
    decorate();
    $('intro').hidden = S.messages.size > 0;
    if (first) {
      requestAnimationFrame(() => scrollToBottom(false));
    } else if (added) {
      if (wasNear || fromMe) requestAnimationFrame(() => scrollToBottom(true));
      else {
        S.unread += added;
        updateUnread();
      }
      refreshPanelSoon();
    }
  }

  function insertInOrder(id, node) {
    // Usually the newest: append. Otherwise before the first known message with a larger id.
    let before = null;
    for (const [otherId, entry] of S.messages) {
      if (otherId > id && (!before || otherId < Number(before.dataset.id))) before = entry.node;
    }
    if (before) list.insertBefore(node, before);
    else list.appendChild(node);
  }

  // Day separators and bubble tails (only the last bubble of a run from one side has a tail).
  function decorate() {
    for (const d of list.querySelectorAll('.day')) d.remove();
    const nodes = [...list.children];
    let lastDay = '';
    nodes.forEach((node, i) => {
      const date = Number(node.dataset.date) || 0;
      const day = date ? new Date(date * 1000).toDateString() : lastDay;
      if (date && day !== lastDay) {
        const sep = el('div', 'day', dayLabel(date));
        list.insertBefore(sep, node);
        lastDay = day;
      }
      if (!node.classList.contains('msg')) return;
      const next = nodes[i + 1];
      const nextDate = next ? Number(next.dataset.date) || 0 : 0;
      const sameRun =
        next &&
        next.classList.contains('msg') &&
        next.dataset.from === node.dataset.from &&
        (!nextDate || !date || new Date(nextDate * 1000).toDateString() === day);
      node.classList.toggle('tail', !sameRun);
    });
  }

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

  // Links, /commands (with the item of "/buy item" and "/use item") and charge ids.
  const TOKEN_RE =
    /(https?:\/\/[^\s<>"')]+)|(^|[\s(])(\/[a-z][a-z0-9_]{0,31}(?:(?<=\/(?:buy|use)) [a-z][a-z0-9_]*)?)(?=$|[\s.,;:!?)])|(\b[Cc]harge id: )([A-Za-z0-9_-]{8,})/gm;

  // Plain text with tappable commands and links (as Telegram shows a bot's text).
  function richText(text) {
    const frag = document.createDocumentFragment();
    let last = 0;
    TOKEN_RE.lastIndex = 0;
    let match;
    while ((match = TOKEN_RE.exec(text))) {
      const [whole, url, lead, cmd, chargeLead, charge] = match;
      let start = match.index;
      let token;
      let node;
      if (url) {
        token = url;
        node = el('a', '', url);
        node.href = url;
        node.target = '_blank';
        node.rel = 'noopener noreferrer';
      } else if (cmd) {
        start += lead.length;
        token = cmd;
        node = el('span', 'cmd', cmd);
        node.dataset.command = cmd;
        node.setAttribute('role', 'link');
        node.title = `Send ${cmd}`;
      } else {
        start += chargeLead.length;
        token = charge;
        node = el('span', 'mono', charge);
        node.dataset.copy = charge;
        node.title = 'Copy the charge id';
      }
      if (start > last) frag.appendChild(document.createTextNode(text.slice(last, start)));
      frag.appendChild(node);
      last = start + token.length;
      if (whole.length === 0) TOKEN_RE.lastIndex++;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  list.addEventListener('click', (e) => {
    const cmd = e.target.closest('.cmd');
    if (cmd && cmd.dataset.command) {
      const name = cmd.dataset.command.slice(1);
      if (NEEDS_ARGUMENT.has(name) && cmd.dataset.command === `/${name}`) fillComposer(`/${name} `);
      else sendText(cmd.dataset.command);
      return;
    }
    const copy = e.target.closest('[data-copy]');
    if (copy) copyText(copy.dataset.copy);
  });

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      toast('Copied', 'ok', 1200);
    } catch (_) {
      fillComposer(`${composer.value}${composer.value ? ' ' : ''}${text}`);
    }
  }

  function buildMessage(m) {
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

  function gameTitle(shortName) {
    return prettyId(shortName || 'game');
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
    const key = `${S.user}:${m.id}`;
    if (S.paidInvoices.has(key) || inv.paid) markPaid(pay);
    pay.addEventListener('click', () => payInvoice(m, pay));
    bubble.append(media, body, pay);
    return bubble;
  }

  function markPaid(btn) {
    btn.classList.add('paid');
    btn.textContent = '✓ Paid';
    btn.dataset.paid = '1';
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

  // ---------------------------------------------------------------------------------------------
  // Chat: acting as the user

  async function sendText(text) {
    const body = String(text || '').trim();
    if (!body || S.user == null) return false;
    closeCommands();
    try {
      await api('POST', '/send', { user: S.user, text: body });
      showBusy('typing…');
      kick();
      return true;
    } catch (error) {
      toast(error.message, 'error');
      return false;
    }
  }

  function isInvoiceLink(url) {
    return /^https:\/\/t\.me\/\$[A-Za-z0-9_-]+$/.test(url || '');
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
      const answer = await api('POST', '/press', { user: S.user, message_id: m.id, data: b.data });
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
      const answer = await api('POST', '/press', { user: S.user, message_id: m.id });
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

  // ---------------------------------------------------------------------------------------------
  // Composer and the command menu

  function autosize() {
    composer.style.height = 'auto';
    composer.style.height = `${Math.min(composer.scrollHeight, 160)}px`;
    $('send').classList.toggle('ready', composer.value.trim() !== '');
  }

  function fillComposer(text) {
    composer.value = text;
    autosize();
    composer.focus();
    composer.setSelectionRange(text.length, text.length);
  }

  $('composer-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = composer.value;
    if (!text.trim()) return;
    composer.value = '';
    autosize();
    const ok = await sendText(text);
    if (!ok && !composer.value) {
      composer.value = text;
      autosize();
    }
  });

  composer.addEventListener('keydown', (e) => {
    const pop = $('commands-pop');
    if (!pop.hidden) {
      const items = [...pop.querySelectorAll('.cmd-item')];
      let idx = items.findIndex((i) => i.classList.contains('active'));
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (items.length) {
          idx = e.key === 'ArrowDown' ? (idx + 1) % items.length : (idx - 1 + items.length) % items.length;
          items.forEach((i, n) => i.classList.toggle('active', n === idx));
          items[idx].scrollIntoView({ block: 'nearest' });
        }
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && idx >= 0 && !e.shiftKey) {
        e.preventDefault();
        items[idx].click();
        return;
      }
      if (e.key === 'Escape') {
        closeCommands();
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('composer-form').requestSubmit();
    }
  });

  composer.addEventListener('input', () => {
    autosize();
    const v = composer.value;
    if (/^\/[a-z0-9_]*$/i.test(v)) openCommands(v.slice(1));
    else if (!$('commands-pop').hidden && !$('commands-pop').dataset.manual) closeCommands();
  });

  function openCommands(filter) {
    const pop = $('commands-pop');
    const f = (filter || '').toLowerCase();
    const shown = S.commands.filter((c) => c.command.toLowerCase().startsWith(f));
    pop.textContent = '';
    if (!shown.length) {
      closeCommands();
      return;
    }
    for (const c of shown) {
      const item = el('button', 'cmd-item');
      item.type = 'button';
      item.dataset.testid = 'command';
      item.dataset.command = c.command;
      const av = el('span', 'avatar bot-avatar', '⛏');
      const text = el('span', 'cmd-text');
      text.append(el('b', '', `/${c.command}`), el('span', 'cmd-desc', c.description));
      item.append(av, text);
      item.addEventListener('click', () => {
        if (NEEDS_ARGUMENT.has(c.command)) {
          closeCommands();
          fillComposer(`/${c.command} `);
        } else {
          composer.value = '';
          autosize();
          sendText(`/${c.command}`);
        }
      });
      pop.appendChild(item);
    }
    pop.dataset.manual = filter == null ? '1' : '';
    pop.hidden = false;
    $('commands-btn').setAttribute('aria-expanded', 'true');
  }

  function closeCommands() {
    $('commands-pop').hidden = true;
    $('commands-btn').setAttribute('aria-expanded', 'false');
  }

  $('commands-btn').addEventListener('click', () => {
    if ($('commands-pop').hidden) openCommands(null);
    else closeCommands();
  });

  document.addEventListener('click', (e) => {
    if ($('commands-pop').hidden) return;
    if (e.target.closest('#commands-pop, #commands-btn, #composer')) return;
    closeCommands();
  });

  $('start-btn').addEventListener('click', () => sendText('/start'));

  async function loadCommands() {
    try {
      const data = await api('GET', '/commands');
      if (Array.isArray(data.commands) && data.commands.length) S.commands = data.commands;
    } catch (_) {
      /* an older server: keep the built-in list */
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Paying: the confirm sheet

  let paying = null; // { resolve, request, amount, done }

  function openPaySheet(opts) {
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
        ? await api('POST', '/pay-link', { user: S.user, link: p.opts.link })
        : await api('POST', '/pay', { user: S.user, message_id: p.opts.messageId });
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

  function closePaySheet() {
    if (!paying || paying.busy) return;
    finishPay(paying.outcome || 'cancelled');
  }

  function payInvoice(m, btn) {
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
        S.paidInvoices.add(`${S.user}:${m.id}`);
        if (btn && btn.dataset.testid === 'pay') markPaid(btn);
      },
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The HTML5 game, with a minimal Telegram.WebApp for paying from inside it

  const frame = $('game-frame');

  function sameOriginGameUrl(url) {
    try {
      const u = new URL(url, location.href);
      // The bot builds the link from its PUBLIC_URL; the page may be open on another host name
      // for the same server (localhost vs 127.0.0.1). Keep it same-origin so the shim works.
      if (u.origin !== location.origin && u.pathname.startsWith('/game/')) return location.origin + u.pathname + u.search + u.hash;
      return u.href;
    } catch (_) {
      return url;
    }
  }

  function openGame(url) {
    closeCommands();
    $('game-overlay').hidden = false;
    $('game-overlay').dataset.state = 'loading';
    frame.src = sameOriginGameUrl(url);
  }

  function closeGame() {
    if ($('game-overlay').hidden) return;
    if (paying && paying.opts.fromGame) closePaySheet();
    $('game-overlay').hidden = true;
    $('game-overlay').dataset.state = 'closed';
    frame.src = 'about:blank';
    kick();
  }

  // What the game page shows about its open order (best effort: the link alone carries none).
  function gameOrder(doc) {
    const out = { title: null, amount: null };
    try {
      const title = doc.getElementById('order-title');
      if (title && title.textContent.trim()) out.title = title.textContent.trim();
      const link = doc.querySelector('[data-testid="pay-link"]');
      const n = link ? Number((link.textContent.match(/\d[\d,]*/) || [''])[0].replace(/,/g, '')) : NaN;
      if (Number.isFinite(n) && n > 0) out.amount = n;
    } catch (_) {
      /* not the page we know */
    }
    return out;
  }

  function installWebApp() {
    if (!frame.src || frame.src === 'about:blank') return;
    let win;
    let doc;
    try {
      win = frame.contentWindow;
      doc = frame.contentDocument;
      if (!win || !doc || doc.location.href === 'about:blank') return;
    } catch (_) {
      toast('The game is on another origin: paying from inside it is not available.', 'error');
      return;
    }
    const noop = () => {};
    const webApp = {
      initData: '',
      initDataUnsafe: {},
      version: '8.0',
      platform: 'sandbox',
      colorScheme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
      isExpanded: true,
      ready: noop,
      expand: noop,
      setHeaderColor: noop,
      setBackgroundColor: noop,
      disableVerticalSwipes: noop,
      enableClosingConfirmation: noop,
      onEvent: noop,
      offEvent: noop,
      close: () => closeGame(),
      openLink: (url) => window.open(url, '_blank', 'noopener'),
      openInvoice(url, callback) {
        const order = gameOrder(doc);
        openPaySheet({
          link: String(url),
          fromGame: true,
          title: order.title || 'a Starmine Rush item',
          description: 'Bought from inside the game',
          amount: order.amount,
        }).then((status) => {
          refreshPanel();
          if (typeof callback === 'function') {
            try {
              callback(status);
            } catch (error) {
              console.error('openInvoice callback failed', error);
            }
          }
        });
      },
    };
    win.Telegram = Object.assign(win.Telegram || {}, { WebApp: webApp });
    $('game-overlay').dataset.state = 'ready';
  }

  frame.addEventListener('load', installWebApp);
  $('game-close').addEventListener('click', closeGame);
  $('game-backdrop').addEventListener('click', closeGame);

  // ---------------------------------------------------------------------------------------------
  // The side panel: the player and the Star ledger

  function resetPanel() {
    for (const id of ['st-energy', 'st-gems', 'st-mined', 'st-depth']) $(id).textContent = '–';
    $('inventory').textContent = '';
    $('boosts').textContent = '';
    $('payments').textContent = '';
    $('payments-count').textContent = '';
    $('player-error').hidden = true;
  }

  let panelTimer = 0;

  function refreshPanelSoon() {
    clearTimeout(panelTimer);
    panelTimer = setTimeout(refreshPanel, 250);
  }

  async function refreshPanel() {
    if (S.user == null) return;
    const gen = S.gen;
    const [player, ledger] = await Promise.allSettled([api('GET', `/player/${S.user}`), api('GET', '/ledger')]);
    if (gen !== S.gen) return;
    if (player.status === 'fulfilled') {
      $('player-error').hidden = true;
      const sig = JSON.stringify(player.value);
      if (sig !== S.playerSig) {
        S.playerSig = sig;
        S.player = player.value;
        renderPlayer(player.value);
      }
    } else {
      $('player-error').textContent = player.reason.message;
      $('player-error').hidden = false;
    }
    if (ledger.status === 'fulfilled') {
      const sig = JSON.stringify(ledger.value);
      if (sig !== S.ledgerSig) {
        S.ledgerSig = sig;
        renderLedger(ledger.value);
      }
    }
  }

  function energyText(p) {
    if (p.energy_now != null && p.energy_max != null) return `${fmt(p.energy_now)}/${fmt(p.energy_max)}`;
    const e = p.energy;
    if (e == null) return p.energy_max != null ? fmt(p.energy_max) : 'full';
    if (typeof e === 'object') return fmt(e.now != null ? e.now : e.value);
    return fmt(e);
  }

  function renderPlayer(p) {
    const energy = $('st-energy');
    energy.textContent = energyText(p);
    energy.title =
      p.energy && p.energy.at
        ? `${p.energy.value} energy stored at ${whenMs(p.energy.at)}; it regenerates from there`
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

  setInterval(() => {
    for (const li of $('boosts').querySelectorAll('li.boost')) {
      const left = Number(li.dataset.until) - Date.now();
      if (left <= 0) {
        renderBoosts(S.player);
        return;
      }
      li.querySelector('.left').textContent = timeLeft(left);
    }
  }, 1000);

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
    sub.append(el('span', '', whenMs(pay.paid_at)));
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
          await api('POST', '/dispute', { user: S.user, charge_id: pay.charge_id });
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

  function setPanel(open) {
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

  $('panel-toggle').addEventListener('click', () => setPanel(!panelIsOpen()));
  $('panel-close').addEventListener('click', () => setPanel(false));
  $('panel-backdrop').addEventListener('click', () => setPanel(false));

  // ---------------------------------------------------------------------------------------------
  // Closing sheets: backdrops, Cancel buttons, Escape

  document.addEventListener('click', (e) => {
    const closer = e.target.closest('[data-close]');
    if (!closer) return;
    const which = closer.dataset.close;
    if (which === 'pay') closePaySheet();
    else if (which === 'user') $('user-wrap').hidden = true;
    else if (which === 'alert') $('alert-wrap').hidden = true;
  });

  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    if (!$('alert-wrap').hidden) $('alert-wrap').hidden = true;
    else if (!$('pay-wrap').hidden) closePaySheet();
    else if (!$('user-wrap').hidden) $('user-wrap').hidden = true;
    else if (!$('game-overlay').hidden) closeGame();
    else if (!$('commands-pop').hidden) closeCommands();
    else if ($('app').classList.contains('panel-open')) setPanel(false);
  });

  // ---------------------------------------------------------------------------------------------
  // Boot

  async function boot() {
    setPanel(matchMedia('(min-width: 981px)').matches);
    autosize();
    for (;;) {
      try {
        await loadUsers();
        break;
      } catch (error) {
        setOnline(false);
        await new Promise((r) => setTimeout(r, 1500));
      }
    }
    loadCommands();
    switchUser(initialUser());
    // A background tab stops asking; it catches up when shown again.
    const whenShown = (fn) => () => {
      if (!document.hidden) fn();
    };
    setInterval(whenShown(poll), POLL_MS);
    setInterval(whenShown(() => fullSync(false)), FULL_SYNC_MS);
    setInterval(whenShown(refreshPanel), PANEL_MS);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) {
        fullSync(false);
        refreshPanel();
      }
    });
    setInterval(() => {
      // others may add users (another tab, a test)
      loadUsers().catch(() => {});
    }, 15000);
    document.body.dataset.ready = '1';
  }

  window.addEventListener('hashchange', () => {
    const id = Number(new URLSearchParams(location.hash.replace(/^#/, '')).get('user'));
    if (id && id !== S.user && S.users.some((u) => u.id === id)) switchUser(id);
  });

  boot();
})();
