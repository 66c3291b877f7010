// Gifts from the page: the 🎁 on a shop card picks a friend from the chat's scoreboard
// (GET /api/friends), then the order box runs as for a purchase (POST /api/gift). The server
// refuses what the chat's /gift refuses, with its own sentence. The order box is the shop's,
// handed in (`box`: its start, stop and status), so this module imports nothing of the shop.

import { $, autoDir, el } from './dom.js';
import { friendlyError } from './messages.js';
import { api } from './session.js';
import { say } from './texts.js';

export async function openGift(item, box) {
  const { start, stop, status: setOrderStatus } = box;
  stop();
  $('order').hidden = false;
  $('order-title').textContent = `🎁 ${item.name || item.id}`;
  $('pay-link').hidden = true;
  const list = $('gift-friends');
  list.textContent = '';
  setOrderStatus('creating', say('page-gift-loading', "Loading the chat's scoreboard…"));
  let res;
  try {
    res = await api('GET', '/api/friends');
  } catch (e) {
    setOrderStatus('error', friendlyError(e));
    return;
  }
  const friends = res && Array.isArray(res.friends) ? res.friends : [];
  if (!friends.length) {
    setOrderStatus('refused', say('page-gift-nobody', "Nobody else is on this chat's scoreboard yet."));
    return;
  }
  setOrderStatus('choose', say('page-gift-choose', "Who is it for? Pick a friend from this chat's scoreboard."));
  for (const friend of friends) list.appendChild(friendButton(item, friend, start));
  list.hidden = false;
}

function friendButton(item, friend, start) {
  const button = autoDir(el('button', 'btn friend', friend.name || String(friend.user_id)));
  button.type = 'button';
  button.setAttribute('data-testid', `friend-${friend.user_id}`);
  button.addEventListener('click', () => {
    $('gift-friends').hidden = true;
    start(item, () => api('POST', '/api/gift', { item_id: item.id, to_user_id: friend.user_id }), true);
  });
  return button;
}
