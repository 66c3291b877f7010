#!/usr/bin/env node
// The console's refusals in headless Chromium, each read as the person refused sees it: a link
// made for someone who is not an admin, an expired link, a link used a second time, a session
// cookie changed in the browser, and (on a phone, signed in) a refund and an API change sent
// without the session's CSRF token.
//
//   NON_ADMIN_LINK=... EXPIRED_LINK=... LINK=... LINK2=... PLAYER=1001 SCREENSHOT_DIR=/tmp/shots node tests/browser/admin_refusals.mjs
//
// Environment:
//   NON_ADMIN_LINK  a genuinely signed, unexpired link for a user who is not in ADMIN_USER_IDS
//   EXPIRED_LINK    a genuinely signed link whose time is up
//   LINK, LINK2     fresh links of an admin (the desktop's, then the phone's)
//   PLAYER          the user id of a player with one refundable payment
//   SUPPORT_ID      a support message's id
//   SCREENSHOT_DIR  where the PNGs go (required; created if missing)
//   CHROMIUM, TIMEOUT_MS as in admin.mjs
//
// Output: one JSON line on stdout
//   {"not_admin":{gate},"expired":{gate},"reused":{gate},"tampered":{gate},"tampered_api":{answer},
//    "cookie_after_tampered","csrf_refund":{"result","statuses","problem"},"csrf_api":{answer},
//    "screenshots":[...]}
// where a gate is {"state","title","text","console" (any of the console on it),"sign_in" (its
// sign-in buttons)} and an answer {"status","keys","code","error"}; exit 0, or the reason on
// stderr and exit 1.

import fs from 'node:fs';
import { driver, tid } from './chromium.mjs';
import { DESKTOP, gate, PHONE, screenshotter, signIn } from './console_steps.mjs';

const { NON_ADMIN_LINK, EXPIRED_LINK, LINK, LINK2, PLAYER, SUPPORT_ID, SCREENSHOT_DIR } = process.env;
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 120_000);

const { log, launch, succeed, run } = driver('admin_refusals', 'admin_refusals driver failed', TIMEOUT_MS);
const { shot, files: screenshots } = screenshotter(SCREENSHOT_DIR || '.');

// Opens `url` and reads the refusal it shows.
async function refusal(page, url, name) {
  await page.goto(url);
  const shown = await gate(page);
  shown.sign_in = await page.locator(tid('sign-in')).count();
  await shot(page, name);
  return shown;
}

// What the API answers `method path` from this page, with no CSRF token.
function apiFromPage(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
    if (body) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const data = await response.json();
    return { status: response.status, keys: Object.keys(data).sort(), code: data.code, error: data.error };
  }, { method, path, body });
}

// Changes one character of the session cookie's signature; returns the changed cookie.
async function tamperCookie(context) {
  const cookie = (await context.cookies()).find((c) => c.name === 'starmine_admin');
  if (!cookie) throw new Error('no session cookie after signing in');
  const at = cookie.value.length - 5;
  const swapped = cookie.value[at] === 'A' ? 'B' : 'A';
  const tampered = { ...cookie, value: cookie.value.slice(0, at) + swapped + cookie.value.slice(at + 1) };
  await context.addCookies([tampered]);
  return tampered;
}

run(async () => {
  if (!NON_ADMIN_LINK || !EXPIRED_LINK || !LINK || !LINK2 || !PLAYER || !SUPPORT_ID || !SCREENSHOT_DIR) {
    throw new Error('NON_ADMIN_LINK, EXPIRED_LINK, LINK, LINK2, PLAYER, SUPPORT_ID and SCREENSHOT_DIR are required');
  }
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const browser = await launch();
  const desktop = await browser.newContext(DESKTOP);
  const page = await desktop.newPage();

  log('links: not an admin, expired, used twice');
  const notAdmin = await refusal(page, NON_ADMIN_LINK, 'desktop-not-admin');
  const expired = await refusal(page, EXPIRED_LINK, 'desktop-expired-link');
  await signIn(page, LINK);
  const reused = await refusal(page, LINK, 'desktop-reused-link');

  log('a changed session cookie');
  const changed = await tamperCookie(desktop);
  const tamperedApi = await apiFromPage(page, 'GET', '/admin/api/overview');
  await desktop.addCookies([changed]);
  const tampered = await refusal(page, new URL('/admin/', LINK).href, 'desktop-tampered-cookie');
  const cookieAfter = (await desktop.cookies()).some((c) => c.name === 'starmine_admin');

  log('phone: a refund and an answer without the CSRF token');
  const phone = await (await browser.newContext(PHONE)).newPage();
  await signIn(phone, LINK2);
  await phone.click('.nav a[data-view="players"]');
  await phone.fill('#player-id', PLAYER);
  await phone.click(tid('find-player'));
  await phone.waitForSelector(tid('refund'));
  // The page loses its token (as a page from before a new session would not have it).
  await phone.evaluate(async () => (await import('/admin/api.js')).setCsrf(''));
  await phone.click(tid('refund'));
  await phone.click(tid('confirm-refund'));
  await phone.waitForSelector(`${tid('refund-result')}:not([hidden])`);
  await phone.waitForSelector(`${tid('player-payments')} .status`);
  const csrfRefund = await phone.evaluate(() => ({
    result: document.getElementById('refund-result').textContent.trim(),
    statuses: [...document.querySelectorAll('.payment .status')].map((node) => node.textContent.trim()),
    problem: document.getElementById('problem').hidden ? '' : document.getElementById('problem').textContent.trim(),
  }));
  await shot(phone, 'phone-csrf-refused');
  const csrfApi = await apiFromPage(phone, 'POST', `/admin/api/support/${SUPPORT_ID}/reply`, { text: 'hi' });

  await succeed({
    not_admin: notAdmin,
    expired,
    reused,
    tampered,
    tampered_api: tamperedApi,
    cookie_after_tampered: cookieAfter,
    csrf_refund: csrfRefund,
    csrf_api: csrfApi,
    screenshots,
  });
});
