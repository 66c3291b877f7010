// The HTML5 game over the chat, in a same-origin frame, with a minimal Telegram.WebApp installed
// into it so the game's purchases open this page's pay sheet.

import { $ } from './dom.js';
import { closeCommands } from './composer.js';
import { amountIn, sameOriginGameUrl } from './parse.js';
import { closePaySheet, openPaySheet, payingFromGame } from './pay.js';
import { toast } from './status.js';
import { kick, refreshPanel } from './sync.js';

const frame = $('game-frame');

export function openGame(url) {
  closeCommands();
  $('game-overlay').hidden = false;
  $('game-overlay').dataset.state = 'loading';
  frame.src = sameOriginGameUrl(url, location);
}

export function closeGame() {
  if ($('game-overlay').hidden) return;
  if (payingFromGame()) closePaySheet();
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
    if (link) out.amount = amountIn(link.textContent);
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

// The frame's load installs the shim; the close button and the backdrop close the game.
export function wireGameFrame() {
  frame.addEventListener('load', installWebApp);
  $('game-close').addEventListener('click', closeGame);
  $('game-backdrop').addEventListener('click', closeGame);
}
