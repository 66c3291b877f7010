// The upgrades card: gems buy the levels of a track one after another, and looks (skins). A button
// names the level it buys, so the server never sells two for one tap; while a purchase is in
// flight every upgrade button is off, and its outcome is one message. `redraw` (home's render)
// shows the player as the purchase left them.

import { $, autoDir, el } from './dom.js';
import { drawSkinArt, drawTrackArt } from './art.js';
import { fmt } from './format.js';
import { boughtMessage, refusedMessage } from './messages.js';
import { say } from './texts.js';
import { showError, showNotice } from './screens.js';
import { api, loadMe } from './session.js';
import { data, look } from './state.js';

let upgradeBusy = null; // { id, level } while POST /api/upgrades is in flight

// A server text with a gem count ("Need 300 more 💎", "سطح ۲ · ۴۰ 💎"): from the count to the 💎
// kept on one line, the glyph drawn by CSS (like the Star) and kept for copy and readers.
function gemText(text) {
  const at = text.search(/[0-9\u06F0-\u06F9]/u);
  const end = text.indexOf('💎', at);
  if (at < 0 || end < 0) return [text];
  const amount = el('span', 'gem-amount', text.slice(at, end));
  amount.appendChild(el('span', 'gem', '💎'));
  return [text.slice(0, at), amount, text.slice(end + '💎'.length)].filter((part) => part !== '');
}

export function renderUpgrades(redraw) {
  const me = data.me;
  const up = me && me.upgrades;
  const tracks = up && Array.isArray(up.tracks) ? up.tracks : [];
  const looks = up && Array.isArray(up.cosmetics) ? up.cosmetics : [];
  const card = $('upgrades-card');
  card.hidden = !tracks.length && !looks.length;
  if (card.hidden) return;
  const have = $('up-gems');
  have.textContent = '';
  have.append(...gemText(up.you_have));
  $('track-list').replaceChildren(...tracks.map((t) => trackRow(t, redraw)));
  $('cosmetic-list').replaceChildren(...looks.map((c) => cosmeticRow(c, redraw)));
  $('track-list').hidden = !tracks.length;
  $('cosmetic-title').hidden = !looks.length;
  $('cosmetic-list').hidden = !looks.length;
}

// Whether the player's gems cover `cost`.
function gemsCover(cost) {
  return (Number(data.me && data.me.gems) || 0) >= (Number(cost) || 0);
}

// One row's frame: art, a main column (the name, with `aside` at its right), and later lines.
function upgradeRow(testid, art, name, aside) {
  const li = el('li', 'up');
  li.setAttribute('data-testid', testid);
  art.className = 'g-art';
  art.style.width = '34px';
  art.style.height = '34px';
  const main = el('div', 'up-main');
  const head = el('div', 'up-head');
  head.appendChild(autoDir(el('span', 'up-name', name)));
  if (aside) head.appendChild(aside);
  main.appendChild(head);
  li.append(art, main);
  return { li, main };
}

// The action line: the button, and beside it why it is off or what it gives.
function upgradeAction(main, btn, side, sideClass, testid) {
  const act = el('div', 'up-act');
  act.appendChild(btn);
  if (side) {
    const note = el('span', `up-side ${sideClass}`);
    note.append(...side);
    note.setAttribute('data-testid', testid);
    act.appendChild(note);
  }
  main.appendChild(act);
}

function upgradeButton(testid) {
  const btn = el('button', 'btn up-buy');
  btn.type = 'button';
  btn.setAttribute('data-testid', testid);
  if (upgradeBusy) btn.disabled = true;
  return btn;
}

// One inline label ("Level 2 · 40 💎"), so the button (a flex box) keeps its spaces.
function buttonLabel(text) {
  const label = el('span', 'up-label');
  label.append(...gemText(text));
  return label;
}

// The server's "Need 300 more 💎" (plain words should the two counts ever disagree).
function needMore(need) {
  return need ? gemText(need) : [say('page-up-not-enough', 'Not enough gems yet')];
}

function trackRow(t, redraw) {
  const level = Number(t.level) || 0;
  const max = Number(t.max_level) || 0;
  const texts = t.texts || {};
  const lv = el('span', 'up-level', `${fmt(level)}/${fmt(max)}`);
  lv.setAttribute('data-testid', `level-${t.id}`);
  lv.setAttribute('aria-label', texts.level_of);
  const art = el('canvas');
  drawTrackArt(art, t, look.skin);
  const { li, main } = upgradeRow(`track-${t.id}`, art, t.name || t.id, lv);
  li.dataset.level = String(level);
  main.appendChild(levelMeter(level, max));
  const now = el('div', 'up-now' + (t.now ? '' : ' none'), texts.now || say('page-up-not-started', 'Not started'));
  now.setAttribute('data-testid', `now-${t.id}`);
  main.appendChild(now);
  const btn = upgradeButton(`up-${t.id}`);
  const next = t.next;
  if (!next) {
    li.classList.add('maxed');
    btn.disabled = true;
    btn.textContent = say('page-up-maxed', 'Maxed');
    upgradeAction(main, btn, [texts.all_bought], 'done', `why-up-${t.id}`);
    return li;
  }
  const busy = upgradeBusy && upgradeBusy.id === t.id;
  if (busy) btn.textContent = say('page-up-buying', 'Buying…');
  else btn.appendChild(buttonLabel(texts.next));
  const affordable = next.affordable !== false && gemsCover(next.cost);
  if (!affordable) {
    btn.disabled = true;
    upgradeAction(main, btn, needMore(texts.need), 'need', `why-up-${t.id}`);
    return li;
  }
  const target = { kind: 'track', id: t.id, name: t.name || t.id, level: Number(next.level) };
  btn.addEventListener('click', () => buyUpgrade(target, btn, redraw));
  upgradeAction(main, btn, next.effect ? [`→ ${next.effect}`] : null, 'gives', `next-${t.id}`);
  return li;
}

// Segments for a short track, one bar for a long one.
function levelMeter(level, max) {
  const meter = el('div', 'meter');
  meter.setAttribute('role', 'meter');
  meter.setAttribute('aria-valuemin', '0');
  meter.setAttribute('aria-valuemax', String(max));
  meter.setAttribute('aria-valuenow', String(level));
  if (max > 0 && max <= 12) {
    for (let i = 0; i < max; i++) meter.appendChild(el('i', i < level ? 'on' : ''));
  } else {
    const fill = el('i', 'on fill');
    fill.style.width = `${max > 0 ? (100 * Math.min(level, max)) / max : 0}%`;
    meter.appendChild(fill);
  }
  return meter;
}

function cosmeticRow(c, redraw) {
  const owned = Boolean(c.owned);
  const art = el('canvas');
  drawSkinArt(art, c.skin);
  const { li, main } = upgradeRow(`cosmetic-${c.id}`, art, c.name || c.id, null);
  li.classList.add('look');
  if (c.description) main.appendChild(autoDir(el('div', 'up-desc', c.description)));
  const btn = upgradeButton(`up-${c.id}`);
  if (owned) {
    li.classList.add('owned');
    btn.disabled = true;
    btn.textContent = say('page-up-owned', 'Owned');
    const wearing = look.skin === c.skin;
    const why = wearing ? say('page-up-wearing', "You're wearing it") : say('page-up-wear-with-pill', 'Wear it with the skin pill ⇄');
    upgradeAction(main, btn, [why], 'done', `why-up-${c.id}`);
    return li;
  }
  const texts = c.texts || {};
  if (upgradeBusy && upgradeBusy.id === c.id) btn.textContent = say('page-up-buying', 'Buying…');
  else btn.appendChild(buttonLabel(texts.buy));
  if (c.affordable === false || !gemsCover(c.price_gems)) {
    btn.disabled = true;
    upgradeAction(main, btn, needMore(texts.need), 'need', `why-up-${c.id}`);
    return li;
  }
  btn.addEventListener('click', () => buyUpgrade({ kind: 'cosmetic', id: c.id, name: c.name || c.id }, btn, redraw));
  upgradeAction(main, btn, null);
  return li;
}

// Buys the level (or look) the tapped button names; one message for the outcome.
async function buyUpgrade(target, btn, redraw) {
  if (upgradeBusy) return;
  upgradeBusy = { id: target.id, level: target.level || 1 };
  for (const b of document.querySelectorAll('.up-buy')) b.disabled = true;
  btn.textContent = say('page-up-buying', 'Buying…');
  const body = target.kind === 'track' ? { id: target.id, level: target.level } : { id: target.id };
  let message = null;
  try {
    const res = await api('POST', '/api/upgrades', body);
    if (data.me) Object.assign(data.me, { gems: res.gems, energy: res.energy, energy_max: res.energy_max, upgrades: res.upgrades });
    message = boughtMessage(res);
    // The run it gives and the skins it adds come with /api/me.
    await loadMe().catch(() => {});
  } catch (e) {
    if (e.status === 401) return;
    if ([404, 409, 422].includes(e.status)) await loadMe().catch(() => {});
    message = refusedMessage(e);
  } finally {
    upgradeBusy = null;
    redraw();
  }
  if (message.ok) showNotice(message.text);
  else showError(message.text);
}
