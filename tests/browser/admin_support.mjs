#!/usr/bin/env node
// The console's Support tab in headless Chromium: on a phone an admin reads the unanswered count
// in the navigation, the inbox (unanswered, then all), answers PLAYER's message from its reply
// box (Send held disabled while the answer is on its way) and sees it answered in place; an
// answer the bot cannot deliver says so and keeps the text. On a desktop the inbox, and a
// message's player link opening their card on the Players tab.
//
//   LINK=... LINK2=... PLAYER=1001 UNDELIVERABLE=1003 ANSWER='...' SCREENSHOT_DIR=/tmp/shots node tests/browser/admin_support.mjs
//
// Environment:
//   LINK, LINK2     fresh sign-in links (the phone's, the desktop's)
//   PLAYER          the user id whose unanswered message the phone answers
//   UNDELIVERABLE   the user id of another unanswered message, whose player blocked the bot
//   ANSWER          the answer the phone sends
//   SCREENSHOT_DIR  where the PNGs go (required; created if missing)
//   CHROMIUM, TIMEOUT_MS as in admin.mjs
//
// Output: one JSON line on stdout
//   {"count" (the Support link's count before),"nav_in_view" (tabs wholly in the phone's row),"unanswered":[tickets],"all":[tickets],
//    "sending":{"disabled","label","readonly"},"answered":{ticket},"count_after","filters_after","undelivered":{ticket},
//    "script_ran" (whether markup in a message ran),"phone_overflow","desktop":[tickets],
//    "player":{"active","input","card"},"desktop_overflow","screenshots":[...]}
// where a ticket is {"id","state","player","href","text","payments":[text],"answer","answered_by",
// "result","draft" (the reply box's text),"images" (<img> in it)}; exit 0, or the reason on stderr and exit 1.

import fs from 'node:fs';
import { driver, tid } from './chromium.mjs';
import { DESKTOP, PHONE, screenshotter, signIn } from './console_steps.mjs';

const { LINK, LINK2, PLAYER, UNDELIVERABLE, ANSWER, SCREENSHOT_DIR } = process.env;
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 120_000);

const { log, launch, succeed, run } = driver('admin_support', 'admin_support driver failed', TIMEOUT_MS);
const { shot, files: screenshots } = screenshotter(SCREENSHOT_DIR || '.');

// Every message shown, as the page shows it.
function tickets(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="ticket"]')].map((card) => {
    const field = (name) => {
      const node = card.querySelector(`[data-field="${name}"]`);
      return node ? node.textContent : null;
    };
    const result = card.querySelector('[data-testid="reply-result"]:not([hidden])');
    return {
      id: Number(card.dataset.id),
      state: card.dataset.state,
      player: field('player'),
      href: card.querySelector('[data-field="player"]').getAttribute('href'),
      text: field('text'),
      payments: [...card.querySelectorAll('.mini-payments li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim()),
      answer: field('answer'),
      answered_by: field('answered-by'),
      result: result ? result.textContent.trim() : null,
      draft: card.querySelector('[data-testid="reply-text"]') ? card.querySelector('[data-testid="reply-text"]').value : null,
      images: card.querySelectorAll('img').length,
    };
  }));
}

const ticket = (page, user) => page.locator(`${tid('ticket')}:has([data-field="player"][href="#players/${user}"])`);

async function openSupport(page, filter) {
  await page.click('.nav a[data-view="support"]');
  await page.waitForSelector(`${tid('support')}:not([hidden]) ${tid('support-inbox')} > li`);
  await page.click(`#support-filter button[data-filter="${filter}"]`);
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

// Types `text` into `user`'s reply box and sends it; `whileSending(page)` runs while the
// request is held at the network, before the server sees it.
async function answer(page, user, text, whileSending) {
  const card = ticket(page, user);
  await card.locator(tid('reply-text')).fill(text);
  let seen = null;
  await page.route('**/admin/api/support/*/reply', async (route) => {
    seen = await whileSending(page, card);
    await route.continue();
  });
  await card.locator(tid('reply-send')).click();
  await card.locator(`${tid('reply-result')}:not([hidden])`).waitFor();
  await page.unrouteAll();
  return seen;
}

const sendingState = (page, card) => card.evaluate((node) => ({
  disabled: node.querySelector('[data-testid="reply-send"]').disabled,
  label: node.querySelector('[data-testid="reply-send"]').textContent.trim(),
  readonly: node.querySelector('[data-testid="reply-text"]').readOnly,
}));

run(async () => {
  if (!LINK || !LINK2 || !PLAYER || !UNDELIVERABLE || !ANSWER || !SCREENSHOT_DIR) {
    throw new Error('LINK, LINK2, PLAYER, UNDELIVERABLE, ANSWER and SCREENSHOT_DIR are required');
  }
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const browser = await launch();

  log('phone: sign in, the count, the inbox');
  const phone = await (await browser.newContext(PHONE)).newPage();
  await signIn(phone, LINK);
  await phone.waitForFunction(() => document.querySelector('.nav a[data-view="support"]').dataset.count !== undefined);
  const count = await phone.locator('.nav a[data-view="support"]').getAttribute('data-count');
  const navInView = await phone.evaluate(() => [...document.querySelectorAll('.nav a')].filter((a) => {
    const box = a.getBoundingClientRect();
    return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
  }).length);
  await openSupport(phone, 'unanswered');
  const unanswered = await tickets(phone);
  await shot(phone, 'phone-support');
  await phone.click('#support-filter button[data-filter="all"]');
  const all = await tickets(phone);
  await shot(phone, 'phone-support-all');

  log('phone: answer PLAYER, then the player who blocked the bot');
  await phone.click('#support-filter button[data-filter="unanswered"]');
  const sending = await answer(phone, PLAYER, ANSWER, sendingState);
  await ticket(phone, PLAYER).locator(tid('answer')).waitFor();
  const answered = (await tickets(phone)).find((t) => t.href === `#players/${PLAYER}`);
  const countAfter = await phone.locator('.nav a[data-view="support"]').getAttribute('data-count');
  const filtersAfter = await phone.locator('#support-filter button').allInnerTexts();
  await shot(phone, 'phone-support-answered');
  await answer(phone, UNDELIVERABLE, 'We looked into it.', async () => null);
  const undelivered = (await tickets(phone)).find((t) => t.href === `#players/${UNDELIVERABLE}`);
  await shot(phone, 'phone-support-undelivered');
  const scriptRan = await phone.evaluate(() => window.pwned === 1);
  const phoneOverflow = await overflow(phone);

  log('desktop: the inbox, and a player link');
  const page = await (await browser.newContext(DESKTOP)).newPage();
  await signIn(page, LINK2);
  await openSupport(page, 'all');
  const desktop = await tickets(page);
  await shot(page, 'desktop-support');
  const desktopOverflow = await overflow(page);
  await ticket(page, PLAYER).locator('[data-field="player"]').click();
  await page.waitForSelector(tid('player-summary'));
  const player = {
    active: (await page.locator('.nav a.active').innerText()).trim(),
    input: await page.inputValue('#player-id'),
    card: (await page.locator(tid('player-summary')).innerText()).replace(/\s+/g, ' ').trim(),
  };
  await shot(page, 'desktop-players');

  await succeed({
    count,
    unanswered,
    all,
    sending,
    answered,
    count_after: countAfter,
    filters_after: filtersAfter,
    nav_in_view: navInView,
    undelivered,
    script_ran: scriptRan,
    phone_overflow: phoneOverflow,
    desktop,
    player,
    desktop_overflow: desktopOverflow,
    screenshots,
  });
});
