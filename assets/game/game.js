/*
 * Starmine Rush: a short canvas arcade run. Tap ore before it crumbles, chain combos, beat the clock.
 *
 * Plain browser JavaScript as ES modules, no build step, no third-party code. Telegram's scripts
 * are optional: everything works when telegram.org cannot be reached. This module wires the page
 * together and boots it; the modules it imports each own one concern:
 *
 *   session.js   the token or initData, Telegram's WebApp, api() and the loads into state.js
 *   state.js     the small state objects: ui (screen, busy), look (skin), data (me, shop, top)
 *   scoring.js   tiers, the spawn bag and points (pure)     run.js      a run's rules (pure)
 *   play.js      the run loop, taps, the finish             render.js   the board's frames
 *   hud.js       score, combo and timer over the board      results.js  the results screen
 *   screens.js   which screen shows, the toasts             home.js     home, gear, leaderboard
 *   upgrades.js  the upgrades card                          shop.js     the shop and one order
 *   look.js      the skin the page wears                    cave.js     backdrop, hero gem
 *   draw.js      gems, rock, pickaxe on a canvas            art.js      item, track, skin pictures
 *   format.js    numbers and times (pure)                   messages.js sentences for players (pure)
 *   math.js      clamp, colours, seeded random (pure)       skins.js    the skins (pure)
 *   dom.js       $, el, svgIcon (shared with the sandbox page)
 */

import { $ } from './dom.js';
import { paintBackdrop, startHero } from './cave.js';
import { nextSkin, renderHome, renderTop, startBoostClock } from './home.js';
import { abandonRun, observeRun, resizeBoard, startRun, stopLoop, wireBoard } from './play.js';
import { onShow, show, showError, showExpired, wireToasts } from './screens.js';
import { hasSession, loadMe, loadShop, loadTelegramScript, loadTop, onExpired, setupWebApp, webApp } from './session.js';
import { openShop, renderShop, stopOrder, wireShop } from './shop.js';
import { data, ui } from './state.js';
import { say } from './texts.js';

// Home, the leaderboard and the shop (when it shows) as the server has them now.
async function refreshHome() {
  const results = await Promise.allSettled([loadMe(), loadShop(), loadTop()]);
  if (results[1].status === 'rejected') data.shop = data.shop || null;
  if (results[2].status === 'rejected') data.top = null;
  renderHome();
  renderTop();
  if (ui.screen === 'shop') renderShop();
  return results;
}

function expire() {
  stopOrder();
  abandonRun();
  showExpired();
}

onShow((name, previous) => {
  if (previous === 'shop' && name !== 'shop') stopOrder();
  if (name === 'home') startHero();
  if (name !== 'playing') stopLoop();
});
onExpired(expire);
loadTelegramScript();
wireToasts();
wireShop();
wireBoard();
startBoostClock(refreshHome);

$('skin-pill').addEventListener('click', () => nextSkin());
$('play-btn').addEventListener('click', () => startRun());
$('again-btn').addEventListener('click', () => startRun());
$('home-btn').addEventListener('click', () => {
  show('home');
  refreshHome();
});
$('shop-btn').addEventListener('click', () => openShop());
$('back-btn').addEventListener('click', () => {
  show('home');
  refreshHome();
});
$('share-btn').addEventListener('click', () => {
  const proxy = window.TelegramGameProxy;
  if (proxy && typeof proxy.shareScore === 'function') {
    try {
      proxy.shareScore();
    } catch (_) {
      showError(say('page-no-share', 'Sharing is not available here.'));
    }
  }
});
window.addEventListener('resize', () => {
  paintBackdrop();
  if (ui.screen === 'playing') resizeBoard();
});

// Automation hook for browser tests: reading the state never advances the run.
window.starmineRush = Object.freeze({ state: observeRun });

async function boot() {
  paintBackdrop();
  if (webApp()) setupWebApp();
  if (!hasSession()) {
    expire();
    return;
  }
  try {
    await loadMe();
  } catch (e) {
    if (e.status === 401) return;
    show('home');
    showError(e.message);
    return;
  }
  await Promise.allSettled([loadShop(), loadTop()]);
  renderHome();
  renderTop();
  show('home');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
