#!/usr/bin/env node
// Drives the sandbox page in headless Chromium like a designer on a phone: browses the shop's
// shelves (edited in place), buys an item in the chat, pays it with sandbox Stars, refunds it from
// the side panel, digs a few times (one message, edited), then plays a Starmine Rush run from the
// game message.
//
//   SANDBOX_URL=http://127.0.0.1:8080/sandbox/ SCREENSHOT_DIR=/tmp/shots node tests/browser/sandbox.mjs
//
// Environment:
//   SANDBOX_URL     the sandbox page (required), as `starmine serve` prints it with no TELOXIDE_TOKEN
//   SCREENSHOT_DIR  where the PNGs go (required; created if missing)
//   SANDBOX_USER    optional user id to act as; by default the driver adds a fresh user through the
//                   page ("Tester <time>"), so it can run again against the same server
//   BUY_ITEM        the item bought in the chat (default energy_refill)
//   ITEMS_TOML      optional path of the served game_data's items.toml: the driver breaks it (a price
//                   of 0), waits for the page's banner of reload problems (screenshots at phone and
//                   desktop size), then restores it and waits for the banner to go
//   GAME_BUY        optional item id to buy from inside the game as well, through the page's
//                   Telegram.WebApp.openInvoice shim and the sandbox pay sheet, then refund it
//   CHROMIUM        browser binary (default /usr/bin/chromium; never downloaded)
//   TIMEOUT_MS      overall limit (default 240000)
//
// Output: one JSON line on stdout
//   {"charge_id":"...","refunded":true,"score":N,"screenshots":[...], ...}
// and exit 0; on any failure the reason goes to stderr and the exit code is 1.

import fs from 'node:fs';
import path from 'node:path';
import { driver, tid } from './chromium.mjs';

const SANDBOX_URL = process.env.SANDBOX_URL;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const SANDBOX_USER = process.env.SANDBOX_USER || '';
const BUY_ITEM = process.env.BUY_ITEM || 'energy_refill';
const GAME_BUY = process.env.GAME_BUY || '';
const ITEMS_TOML = process.env.ITEMS_TOML || '';
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 240_000);
const STEP_MS = 20_000;

const { log, launch, succeed, run } = driver('sandbox', 'sandbox driver failed', TIMEOUT_MS);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const apiPath = (r, p) => new URL(r.url()).pathname === `/sandbox/api/${p}`;

async function main() {
  if (!SANDBOX_URL) throw new Error('SANDBOX_URL is not set');
  if (!SCREENSHOT_DIR) throw new Error('SCREENSHOT_DIR is not set');
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const origin = new URL(SANDBOX_URL).origin;
  const shots = [];

  const browser = await launch();
  const pageErrors = [];

  async function newPage(contextOptions) {
    const context = await browser.newContext(contextOptions);
    // Nothing outside the sandbox's own origin is needed; refuse it so a stray request can't hang.
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:') || u.startsWith('about:')) return route.continue();
      log(`blocked outside request ${u}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    page.on('pageerror', (err) => {
      pageErrors.push(String(err && err.stack ? err.stack : err));
      log(`page error: ${err}`);
    });
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
    log(`console error: ${msg.text()}`);
    // Something the page's Content-Security-Policy blocked is a bug in the page or the policy.
    if (/Content Security Policy/i.test(msg.text())) pageErrors.push(`CSP violation: ${msg.text()}`);
    });
    return page;
  }

  const checkErrors = () => {
    if (pageErrors.length) throw new Error(`the page threw: ${pageErrors[0]}`);
  };

  const page = await newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

  // Let smooth scrolling and entry animations finish before a picture.
  const settle = async (p = page) => {
    await p.waitForTimeout(500);
    await p
      .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming?.().iterations === Infinity), null, { timeout: 2000 })
      .catch(() => {});
  };
  const shot = async (name, p = page) => {
    await settle(p);
    const file = path.resolve(SCREENSHOT_DIR, name);
    await p.screenshot({ path: file });
    shots.push(file);
    log(`screenshot ${file}`);
  };

  const botMessage = (text) => page.locator(`${tid('message')}[data-from="bot"]`).filter({ hasText: text });
  const waitBot = async (text, timeout = STEP_MS, after = 0) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      checkErrors();
      const ids = await botMessage(text).evaluateAll((nodes) => nodes.map((n) => Number(n.dataset.id)));
      const id = ids.filter((i) => i > after).pop();
      if (id) return id;
      if (Date.now() > deadline) {
        const last = await page.locator(`${tid('message')}[data-from="bot"]`).last().textContent().catch(() => null);
        throw new Error(`no bot message containing "${text}" within ${timeout} ms (the bot's last message: ${JSON.stringify(last)})`);
      }
      await sleep(150);
    }
  };
  const lastId = async () => Number((await page.locator(tid('message')).evaluateAll((n) => n.map((x) => Number(x.dataset.id)))).pop() || 0);
  const send = async (text) => {
    const resp = page.waitForResponse((r) => r.request().method() === 'POST' && apiPath(r, 'send'));
    await page.locator(tid('composer')).fill(text);
    await page.locator(tid('send')).click();
    const r = await resp;
    if (!r.ok()) throw new Error(`sending ${text} failed: HTTP ${r.status()} ${await r.text()}`);
  };
  const balance = async () => {
    const b = page.locator(tid('balance'));
    await page.waitForFunction(() => document.querySelector('[data-testid="balance"]').dataset.value !== '');
    return Number(await b.getAttribute('data-value'));
  };
  const waitBalance = async (want) => {
    await page
      .waitForFunction((w) => document.querySelector('[data-testid="balance"]').dataset.value === String(w), want, { timeout: STEP_MS })
      .catch(async () => {
        throw new Error(`the ledger balance is ${await balance()}, expected ${want}`);
      });
  };
  const panel = async (open) => {
    const expanded = (await page.locator(tid('panel-toggle')).getAttribute('aria-expanded')) === 'true';
    if (expanded !== open) {
      // on a phone the open panel covers the toggle: close it with its own button
      const close = page.locator(tid('panel-close'));
      if (!open && (await close.isVisible())) await close.click();
      else await page.locator(tid('panel-toggle')).click();
    }
    await page.locator(tid('player-panel')).waitFor({ state: open ? 'visible' : 'hidden' });
  };
  const payment = (charge) => page.locator(`${tid('payment')}[data-charge="${charge}"]`);
  const waitPaymentStatus = async (charge, status) => {
    await payment(charge)
      .and(page.locator(`[data-status="${status}"]`))
      .waitFor({ state: 'attached' })
      .catch(async () => {
        const now = await payment(charge).getAttribute('data-status').catch(() => null);
        throw new Error(`payment ${charge} is ${now ?? 'not in the panel'}, expected ${status}`);
      });
  };

  // Pays the open pay sheet; returns the charge id.
  const confirmPay = async (shotName) => {
    const confirm = page.locator(tid('confirm-pay'));
    await confirm.waitFor({ state: 'visible' });
    const label = (await confirm.textContent()).trim();
    if (!/sandbox Stars/.test(label)) throw new Error(`the confirm button says "${label}"`);
    if (shotName) await shot(shotName);
    const resp = page.waitForResponse((r) => r.request().method() === 'POST' && (apiPath(r, 'pay') || apiPath(r, 'pay-link')), { timeout: 30_000 });
    await confirm.click();
    const r = await resp;
    const body = await r.json().catch(() => null);
    if (!r.ok() || !body) throw new Error(`paying failed: HTTP ${r.status()} ${JSON.stringify(body)}`);
    if (body.status !== 'paid') {
      const shown = await page.locator(tid('pay-error')).textContent({ timeout: 5000 }).catch(() => '');
      throw new Error(`the payment ended as ${body.status}: ${body.error} (the sheet shows: ${shown.trim()})`);
    }
    await page.locator(tid('pay-sheet')).waitFor({ state: 'hidden', timeout: 10_000 });
    return body.charge_id;
  };

  // 1. The page and a user of our own
  log(`opening ${SANDBOX_URL}`);
  const resp = await page.goto(SANDBOX_URL, { waitUntil: 'domcontentloaded' });
  if (!resp || !resp.ok()) throw new Error(`the sandbox page answered HTTP ${resp ? resp.status() : 'nothing'}`);
  await page.waitForSelector('body[data-ready="1"]');
  checkErrors();
  let user;
  if (SANDBOX_USER) {
    await page.locator(tid('user-switch')).selectOption(SANDBOX_USER);
    user = Number(SANDBOX_USER);
  } else {
    const name = `Tester ${new Date().toISOString().slice(11, 19)}`;
    await page.locator(tid('user-switch')).selectOption('add');
    await page.locator(tid('add-user-name')).fill(name);
    await shot('00-add-user.png');
    const made = page.waitForResponse((r) => r.request().method() === 'POST' && apiPath(r, 'users'));
    await page.locator(tid('add-user-submit')).click();
    const body = await (await made).json();
    if (!body || !body.id) throw new Error(`adding a user failed: ${JSON.stringify(body)}`);
    user = body.id;
    await page.waitForFunction((id) => document.body.dataset.user === String(id), user);
    log(`acting as new user ${name} (${user})`);
  }
  const balanceBefore = await balance();
  await shot('01-chat.png');

  // 1a. Pushed, not polled: with the event stream open the page asks for no chat while nothing
  // happens, and a reply shows as soon as the bot sends it
  await page.waitForSelector('body[data-live="1"]', { timeout: STEP_MS });
  const asked = [];
  const countAsks = (r) => {
    const p = new URL(r.url()).pathname;
    if (p.startsWith('/sandbox/api/chat/') || p === '/sandbox/api/reload') asked.push(p);
  };
  page.on('request', countAsks);
  await sleep(3000);
  const quietAsks = asked.length;
  const beforeMe = await lastId();
  const sent = Date.now();
  await send('/me');
  await page.waitForFunction(
    (after) => [...document.querySelectorAll('[data-testid="message"][data-from="bot"]')].some((n) => Number(n.dataset.id) > after && n.textContent.includes('Your miner')),
    beforeMe,
    { polling: 'raf', timeout: STEP_MS },
  );
  const push = { quiet_ms: 3000, quiet_asks: quietAsks, reply_ms: Date.now() - sent };
  page.off('request', countAsks);
  log(`pushed: ${JSON.stringify(push)}`);

  // 1b. A reload that fails: the banner over the chat lists the problems until the file is fixed
  let reload = null;
  if (ITEMS_TOML) {
    const good = fs.readFileSync(ITEMS_TOML, 'utf8');
    if (!good.includes('price_stars = 5')) throw new Error(`${ITEMS_TOML} has no "price_stars = 5" to break`);
    fs.writeFileSync(ITEMS_TOML, good.replace('price_stars = 5', 'price_stars = 0'));
    const errors = page.locator(tid('reload-errors'));
    await errors.waitFor({ state: 'visible', timeout: STEP_MS });
    const title = (await errors.locator('.reload-title').textContent()).trim();
    const lines = await errors.locator(tid('reload-line')).evaluateAll((n) => n.map((x) => x.textContent.trim()));
    const box = await errors.boundingBox();
    await shot('01b-reload-problems.png');
    const deskErrors = await newPage({ viewport: { width: 1280, height: 800 } });
    await deskErrors.goto(`${SANDBOX_URL.replace(/#.*$/, '')}#user=${user}`, { waitUntil: 'domcontentloaded' });
    await deskErrors.locator(tid('reload-errors')).waitFor({ state: 'visible' });
    await shot('01c-reload-problems-desktop.png', deskErrors);
    await deskErrors.context().close();
    fs.writeFileSync(ITEMS_TOML, good);
    await errors.waitFor({ state: 'detached', timeout: STEP_MS });
    const notice = page.locator(tid('toast')).filter({ hasText: 'Catalog reloaded' });
    await notice.first().waitFor({ state: 'attached', timeout: 5000 });
    reload = { title, lines, width: box.width, cleared: true, notice: (await notice.first().textContent()).trim() };
    log(`reload banner: ${JSON.stringify(reload)}`);
  }

  // 2. /shop: one message whose shelf tabs edit it in place, then a Buy button on a shelf
  await send('/shop');
  const shopId = await waitBot('Starmine shop');
  const shopMsg = page.locator(`${tid('message')}[data-id="${shopId}"]`);
  await shopMsg.scrollIntoViewIfNeeded();
  await shot('02-shop.png');
  const shopMessages = await page.locator(tid('message')).count();
  const buyButton = shopMsg.locator(`${tid('button')}[data-data="buy:${BUY_ITEM}"]`);
  const tabs = await shopMsg.locator(`${tid('button')}[data-data^="shop:"]`).evaluateAll((n) => n.map((x) => x.dataset.data));
  for (const tab of tabs) {
    const pressed = page.waitForResponse((r) => r.request().method() === 'POST' && apiPath(r, 'press'));
    await shopMsg.locator(`${tid('button')}[data-data="${tab}"]`).click();
    await pressed;
    // the same message shows the shelf (its tab ticked), no new message
    await shopMsg.locator(`${tid('button')}[data-data="${tab}"]`).filter({ hasText: '✓' }).waitFor({ state: 'attached' });
    if ((await page.locator(tid('message')).count()) !== shopMessages) throw new Error(`the ${tab} tab added a message instead of editing the shop`);
    if (await buyButton.count()) break;
  }
  await shopMsg.scrollIntoViewIfNeeded();
  await shot('02b-shop-shelf.png');
  const shopHeight = (await shopMsg.boundingBox()).height;
  if (shopHeight > 700) throw new Error(`a shop page is ${shopHeight} px tall: more than a phone shows`);
  const before = await lastId();
  if (await buyButton.count()) {
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && apiPath(r, 'press'));
    await buyButton.click();
    await answer;
  } else {
    log(`no Buy button for ${BUY_ITEM} on any shelf: sending /buy ${BUY_ITEM}`);
    await send(`/buy ${BUY_ITEM}`);
  }

  // 3. The invoice, the Pay button and the confirm sheet
  const invoice = page.locator(`${tid('message')}[data-kind="invoice"]`).last();
  await page.waitForFunction(
    (after) => [...document.querySelectorAll('[data-testid="message"][data-kind="invoice"]')].some((n) => Number(n.dataset.id) > after),
    before,
  );
  const invoiceId = Number(await invoice.getAttribute('data-id'));
  const price = Number(await invoice.locator(tid('invoice')).getAttribute('data-amount'));
  await shot('03-invoice.png');
  await invoice.locator(tid('pay')).click();
  const chargeId = await confirmPay('04-confirm-pay.png');
  log(`paid invoice ${invoiceId} (${price} ⭐): charge ${chargeId}`);
  await waitBot('Payment received', STEP_MS, invoiceId);
  await botMessage(chargeId).last().waitFor({ state: 'attached' });
  await shot('05-receipt.png');

  // 4. The side panel: paid, in the inventory, on the ledger
  await panel(true);
  await waitPaymentStatus(chargeId, 'paid');
  await page.locator(`${tid('inventory')} li[data-item]`).first().waitFor({ state: 'attached' }).catch(() => {
    throw new Error('the inventory stays empty after the purchase');
  });
  const inventory = await page.locator(`${tid('inventory')} li[data-item]`).evaluateAll((n) => Object.fromEntries(n.map((x) => [x.dataset.item, Number(x.dataset.count)])));
  if (BUY_ITEM === 'energy_refill' && !(inventory.energy_refill >= 1)) throw new Error(`no energy_refill in the inventory: ${JSON.stringify(inventory)}`);
  await waitBalance(balanceBefore + price);
  await page.locator(`${tid('transaction')}[data-charge="${chargeId}"][data-direction="in"]`).waitFor({ state: 'attached' });
  await payment(chargeId).scrollIntoViewIfNeeded();
  await shot('06-panel-paid.png');

  // 5. Refund from the panel
  const beforeRefund = await lastId();
  await page.locator(tid(`refund-${chargeId}`)).click();
  await waitBot('Refunded', STEP_MS, beforeRefund);
  await waitPaymentStatus(chargeId, 'refunded');
  await waitBalance(balanceBefore);
  await page.locator(`${tid('transaction')}[data-charge="${chargeId}"][data-direction="out"]`).waitFor({ state: 'attached' });
  const balanceAfter = await balance();
  await page.locator(tid('ledger')).scrollIntoViewIfNeeded();
  await shot('07-panel-refunded.png');
  await panel(false);
  await shot('08-chat-refunded.png');

  // 6. The same chat on a desktop
  const desk = await newPage({ viewport: { width: 1280, height: 800 } });
  await desk.goto(`${SANDBOX_URL.replace(/#.*$/, '')}#user=${user}`, { waitUntil: 'domcontentloaded' });
  await desk.waitForSelector('body[data-ready="1"]');
  await desk.waitForFunction((id) => document.body.dataset.user === String(id), user);
  await desk.locator(`${tid('payment')}[data-charge="${chargeId}"]`).waitFor({ state: 'visible' });
  await desk.locator(`${tid('message')}[data-from="bot"]`).filter({ hasText: 'Refunded' }).waitFor();
  // A freshly loaded page still shows the paid invoice as paid.
  await desk.locator(`${tid('pay')}[data-id="${invoiceId}"][data-paid="1"]`).waitFor({ state: 'visible' });
  await shot('09-desktop.png', desk);
  await desk.context().close();

  // 6b. A few digs: /dig sends one message, Dig again edits it in place
  const beforeDig = await lastId();
  await send('/dig');
  const digId = await waitBot('You found', STEP_MS, beforeDig);
  const digMsg = page.locator(`${tid('message')}[data-id="${digId}"]`);
  const digMessages = await page.locator(tid('message')).count();
  let digText = await digMsg.textContent();
  for (let i = 0; i < 3; i++) {
    const pressed = page.waitForResponse((r) => r.request().method() === 'POST' && apiPath(r, 'press'));
    await digMsg.locator(`${tid('button')}[data-data="dg"]`).click();
    await pressed;
    await page.waitForFunction(
      ([id, was]) => document.querySelector(`[data-testid="message"][data-id="${id}"]`)?.textContent !== was,
      [digId, digText],
    );
    digText = await digMsg.textContent();
  }
  if ((await page.locator(tid('message')).count()) !== digMessages) throw new Error('Dig again added messages instead of editing the dig');
  await digMsg.scrollIntoViewIfNeeded();
  await shot('09b-digs.png');

  // 7. /play, the Play button and the game overlay
  const beforePlay = await lastId();
  await send('/play');
  await page.waitForFunction(
    (after) => [...document.querySelectorAll('[data-testid="message"][data-kind="game"]')].some((n) => Number(n.dataset.id) > after),
    beforePlay,
  );
  const gameMsg = page.locator(`${tid('message')}[data-kind="game"]`).last();
  await shot('10-game-message.png');
  const pressed = page.waitForResponse((r) => r.request().method() === 'POST' && apiPath(r, 'press'));
  await gameMsg.locator(`${tid('button')}[data-game="1"]`).click();
  const answer = await (await pressed).json();
  if (!answer || !answer.url) throw new Error(`the Play button got no game URL: ${JSON.stringify(answer)}`);
  await page.locator(tid('game-overlay')).waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('[data-testid="game-overlay"]').dataset.state === 'ready');
  const frameEl = await page.locator(tid('game-frame')).elementHandle();
  const game = await frameEl.contentFrame();
  if (!game) throw new Error('the game frame has no document');
  const inGame = (selector) => game.locator(selector);
  await inGame(`${tid('play')}:not([disabled])`).waitFor({ state: 'visible' });
  const hasShim = await game.evaluate(() => typeof window.Telegram?.WebApp?.openInvoice === 'function');
  if (!hasShim) throw new Error('the game frame has no Telegram.WebApp.openInvoice shim');
  await shot('11-game-home.png');

  // 7b. Optional: buy from inside the game through the shim and the sandbox's pay sheet
  let gameCharge = null;
  if (GAME_BUY) {
    await inGame(tid('shop')).click();
    const b = inGame(tid(`buy-${GAME_BUY}`));
    await b.waitFor({ state: 'visible' });
    await b.click();
    gameCharge = await confirmPay('11a-game-confirm-pay.png');
    log(`paid ${GAME_BUY} from the game: charge ${gameCharge}`);
    await game.waitForFunction(() => document.querySelector('[data-testid="order-status"]')?.dataset.status === 'paid', null, { timeout: 30_000 }).catch(async () => {
      const st = await inGame(tid('order-status')).textContent().catch(() => '?');
      throw new Error(`the game never showed the order as paid (it shows: ${st.trim()})`);
    });
    await shot('11b-game-paid.png');
    await inGame(tid('back')).click();
    await inGame(`${tid('play')}:not([disabled])`).waitFor({ state: 'visible' });
  }

  // 8. One run: tap the richest ore, again and again
  const runResp = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/runs');
  await inGame(tid('play')).click();
  const rr = await runResp;
  const run = await rr.json().catch(() => null);
  if (!rr.ok() || !run || !run.run_id) throw new Error(`POST /api/runs failed: HTTP ${rr.status()} ${JSON.stringify(run)}`);
  log(`run ${run.run_id}: ${run.seconds} s`);
  const finishResp = page.waitForResponse((r) => r.request().method() === 'POST' && /^\/api\/runs\/[^/]+\/finish$/.test(new URL(r.url()).pathname), {
    timeout: (Number(run.seconds) || 30) * 1000 + 60_000,
  });
  finishResp.catch(() => {});
  await game.waitForFunction(() => window.starmineRush && window.starmineRush.state().screen === 'playing');
  const board = inGame(tid('board'));
  await board.waitFor({ state: 'visible' });
  const runLimit = Date.now() + (Number(run.seconds) || 30) * 1000 + 30_000;
  let taps = 0;
  let midShot = false;
  for (;;) {
    checkErrors();
    if (Date.now() > runLimit) throw new Error('the run did not end in time');
    const st = await game.evaluate(() => window.starmineRush.state());
    if (st.screen !== 'playing' || st.phase === 'over') break;
    if (!midShot && st.phase === 'playing' && st.timeLeftMs <= st.durationMs / 2 && st.score > 0) {
      midShot = true;
      const file = path.resolve(SCREENSHOT_DIR, '12-game-playing.png');
      await page.screenshot({ path: file });
      shots.push(file);
      log(`screenshot ${file}`);
    }
    const ores = st.ores.filter((o) => o.value > 0 && o.msLeft > 120);
    if (!ores.length) {
      await game
        .waitForFunction(() => {
          const s = window.starmineRush.state();
          return s.screen !== 'playing' || s.phase === 'over' || s.ores.some((o) => o.value > 0);
        }, null, { timeout: 3000, polling: 'raf' })
        .catch(() => {});
      continue;
    }
    ores.sort((a, b) => b.value - a.value || a.msLeft - b.msLeft);
    const box = await board.boundingBox(); // in the page's coordinates
    // The run can end (and the board hide) between reading the state and measuring the board:
    // look at the state again, which ends the loop when the run is over.
    if (!box) continue;
    await page.touchscreen.tap(box.x + ores[0].x, box.y + ores[0].y);
    taps++;
  }
  log(`run over after ${taps} taps`);
  const fr = await finishResp;
  const result = await fr.json().catch(() => null);
  if (!fr.ok() || !result) throw new Error(`finishing the run failed: HTTP ${fr.status()} ${JSON.stringify(result)}`);
  await inGame(`${tid('results')}[data-state="saved"] ${tid('final-score')}`).waitFor({ state: 'visible', timeout: 30_000 });
  const shown = Number((await inGame(tid('final-score')).textContent()).replace(/[^0-9]/g, ''));
  if (shown !== result.score) throw new Error(`the results show ${shown}, the server answered ${result.score}`);
  await shot('13-game-results.png');

  // 9. Back to the chat
  await page.locator(tid('game-close')).click();
  await page.locator(tid('game-overlay')).waitFor({ state: 'hidden' });
  let gameRefunded = null;
  if (gameCharge) {
    // put the ledger back as it was: refund the in-game purchase too
    await panel(true);
    await waitPaymentStatus(gameCharge, 'paid');
    await page.locator(tid(`refund-${gameCharge}`)).click();
    await waitPaymentStatus(gameCharge, 'refunded');
    await waitBalance(balanceBefore);
    gameRefunded = true;
    await panel(false);
  }
  await shot('14-chat-after-game.png');
  checkErrors();

  const out = {
    user,
    item: BUY_ITEM,
    charge_id: chargeId,
    price,
    refunded: true,
    balance_before: balanceBefore,
    balance_after: balanceAfter,
    inventory_after_purchase: inventory,
    score: result.score,
    best: result.best,
    gems_awarded: result.gems_awarded,
    taps,
    game_purchase: gameCharge ? { item: GAME_BUY, charge_id: gameCharge, refunded: gameRefunded } : null,
    reload,
    push,
    screenshots: shots,
  };
  await succeed(out);
}

run(main);
