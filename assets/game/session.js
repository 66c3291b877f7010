// The player's session and the game API: the game link's token or the Mini App's initData,
// Telegram's optional WebApp script, `api()` for every call (401 shows the expired screen through
// the handler game.js sets), and the loads that fill `data`.

import { data } from './state.js';
import { applyTexts, say } from './texts.js';

const QUERY = new URLSearchParams(location.search);
const TOKEN = QUERY.get('token') || '';
const HASH = new URLSearchParams(location.hash.replace(/^#/, ''));

// Telegram's WebApp object, inside a Mini App whose script loaded (or the sandbox's shim).
export function webApp() {
  const tg = window.Telegram;
  return tg && tg.WebApp ? tg.WebApp : null;
}

function miniAppInitData() {
  const wa = webApp();
  if (wa && typeof wa.initData === 'string' && wa.initData) return wa.initData;
  // Telegram puts the same string in the fragment; read it ourselves so the page works even
  // when telegram-web-app.js cannot be loaded.
  return HASH.get('tgWebAppData') || '';
}

export function hasSession() {
  return Boolean(TOKEN || miniAppInitData());
}

// Telegram's Mini App script is loaded only inside a Mini App, asynchronously, never blocking.
export function loadTelegramScript() {
  if (!HASH.has('tgWebAppData') || webApp()) return;
  const s = document.createElement('script');
  s.src = 'https://telegram.org/js/telegram-web-app.js';
  s.async = true;
  s.onload = setupWebApp;
  s.onerror = () => {};
  document.head.appendChild(s);
}

export function setupWebApp() {
  const wa = webApp();
  if (!wa) return;
  const calls = [
    () => wa.ready(),
    () => wa.expand(),
    () => wa.setHeaderColor && wa.setHeaderColor('#0c0a12'),
    () => wa.setBackgroundColor && wa.setBackgroundColor('#0c0a12'),
    () => wa.disableVerticalSwipes && wa.disableVerticalSwipes(),
  ];
  for (const c of calls) {
    try {
      c();
    } catch (_) {
      /* older clients */
    }
  }
}

// A light or heavy tap felt in Telegram's clients that can.
export function haptic(kind) {
  const wa = webApp();
  try {
    if (wa && wa.HapticFeedback) wa.HapticFeedback.impactOccurred(kind);
  } catch (_) {
    /* optional */
  }
}

let expired = () => {};

// What a 401 (the link expired) does: game.js shows the expired screen.
export function onExpired(handler) {
  expired = handler;
}

// A failed call: its HTTP status (0: no answer), message, and the server's code when the
// message is one written for players (a refusal such as sold out or not owned).
class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code || null;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (TOKEN) headers.Authorization = 'Bearer ' + TOKEN;
  else {
    const initData = miniAppInitData();
    if (initData) headers['X-Telegram-Init-Data'] = initData;
  }
  const init = { method, headers, cache: 'no-store', credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (_) {
    throw new ApiError(0, say('page-offline', 'Cannot reach the mine. Check your connection and try again.'));
  }
  let answer = null;
  try {
    answer = await res.json();
  } catch (_) {
    answer = null;
  }
  if (res.status === 401) {
    expired();
    throw new ApiError(401, say('page-link-expired', 'This game link has expired — open the game again from the chat.'));
  }
  if (!res.ok) {
    const msg = answer && typeof answer.error === 'string' && answer.error ? answer.error : say('page-went-wrong', 'Something went wrong — please try again.');
    throw new ApiError(res.status, msg, answer && typeof answer.code === 'string' ? answer.code : null);
  }
  return answer;
}

export async function loadMe() {
  data.me = await api('GET', '/api/me');
  applyTexts(data.me);
  return data.me;
}
export async function loadShop() {
  data.shop = await api('GET', '/api/shop');
  return data.shop;
}
export async function loadTop() {
  data.top = await api('GET', '/api/top');
  return data.top;
}
