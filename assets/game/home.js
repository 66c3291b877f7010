// Home: the player's card (gems, energy, best run, the run their items give, the skin pill), their
// gear with Start and Use, the day's arcade allowance, the upgrades card and the leaderboard.

import { $, el, svgIcon } from './dom.js';
import { drawItemArt } from './art.js';
import { clamp } from './math.js';
import { clockText, fmt, formatMult, untilNextUtcDay } from './format.js';
import { setSkin } from './look.js';
import { friendlyError, usedMessage } from './messages.js';
import { say } from './texts.js';
import { showError, showNotice } from './screens.js';
import { api, loadMe } from './session.js';
import { SKINS } from './skins.js';
import { data, look, ui } from './state.js';
import { renderUpgrades } from './upgrades.js';

function shopItem(id) {
  return data.shop && Array.isArray(data.shop.items) ? data.shop.items.find((i) => i.id === id) : null;
}

export function renderHome() {
  const me = data.me;
  if (!me) return;
  const name = (me.user && me.user.name) || say('page-miner', 'Miner');
  $('player-name').textContent = name;
  $('avatar').textContent = Array.from(name.trim())[0] ? Array.from(name.trim())[0].toUpperCase() : '?';
  $('gems').textContent = fmt(me.gems);
  $('shop-gems').textContent = fmt(me.gems);
  $('energy').textContent = fmt(me.energy);
  $('energy-max').textContent = me.energy_max != null ? `/${fmt(me.energy_max)}` : '';
  $('best-score').textContent = fmt(me.best_score);
  const run = me.run || {};
  const secs = Number(run.seconds) || 0;
  $('run-seconds').textContent = secs ? me.run_seconds_text : '—';
  const mult = Number(run.score_multiplier) || 1;
  $('run-mult').textContent = formatMult(mult);
  $('run-mult').classList.toggle('boosted', mult > 1);
  setSkin(run.skin || 'classic');
  // Owners of more than one skin switch between them with the pill.
  const skins = Array.isArray(me.skins) ? me.skins : ['classic'];
  const pill = $('skin-pill');
  pill.disabled = skins.length < 2;
  pill.classList.toggle('choosable', skins.length > 1);
  pill.setAttribute('aria-label', skins.length > 1 ? say('page-change-skin', 'Change your skin') : say('page-your-skin', 'Your skin'));

  renderGear();
  renderAllowance();
  renderUpgrades(renderHome);
}

// Gear: what the player holds, one section per kind. A section is { kind, title(), rows(me) }
// whose rows are <li> elements; a new kind of item adds an entry here.

const GEAR_SECTIONS = [
  { kind: 'boost', title: () => say('page-gear-boosts', 'Boosts'), rows: boostRows },
  { kind: 'permanent', title: () => say('page-gear-tools', 'Tools'), rows: (me) => heldRows(me, 'permanent') },
  { kind: 'consumable', title: () => say('page-gear-supplies', 'Supplies'), rows: (me) => heldRows(me, 'consumable') },
  // Anything of a kind the page has no section for yet (or no longer sold) still shows.
  { kind: 'other', title: () => say('page-gear-other', 'Other'), rows: (me) => heldRows(me, null) },
];
const GEAR_KINDS = GEAR_SECTIONS.map((section) => section.kind);

function heldItems(me, kind) {
  const inv = Array.isArray(me.inventory) ? me.inventory : [];
  const kindOf = (it) => it.kind || (shopItem(it.id) || {}).kind;
  const other = (it) => !GEAR_KINDS.includes(kindOf(it));
  return inv.filter((it) => it && Number(it.qty) > 0 && (kind === null ? other(it) : kindOf(it) === kind));
}

function gearRow(item, testid) {
  const meta = shopItem(item.id) || {};
  const li = el('li');
  li.dataset.testid = testid;
  li.setAttribute('data-testid', testid);
  li.dataset.itemId = item.id;
  const art = el('canvas', 'g-art');
  art.style.width = '34px';
  art.style.height = '34px';
  drawItemArt(art, { ...meta, ...item }, look.skin);
  const main = el('div', 'g-main');
  main.appendChild(el('div', 'g-name', item.name || meta.name || item.id));
  const note = el('div', 'g-effect', meta.effect || meta.description || '');
  main.appendChild(note);
  li.append(art, main);
  return { li, main, note };
}

function actionButton(label, testid, onClick) {
  const btn = el('button', 'btn g-action', label);
  btn.type = 'button';
  btn.setAttribute('data-testid', testid);
  btn.addEventListener('click', () => onClick(btn));
  return btn;
}

// Running boosts with their time left, then held ones with a Start button.
function boostRows(me) {
  const rows = [];
  const running = Array.isArray(me.boosts) ? me.boosts : [];
  for (const b of running) {
    const until = boostEnd(b);
    if (!(until > Date.now())) continue;
    const { li, note } = gearRow(b, `boost-running-${b.id}`);
    li.classList.add('running');
    note.textContent = '';
    const effect = effectOf(b.id);
    if (effect) note.append(document.createTextNode(`${effect} · `));
    const left = el('span', 'time-left', clockText(until - Date.now()));
    left.dataset.until = String(until);
    left.setAttribute('data-testid', `time-left-${b.id}`);
    note.append(left, document.createTextNode(` ${say('page-left', 'left')}`));
    li.appendChild(el('div', 'g-badge', say('page-running', 'Running')));
    rows.push(li);
  }
  for (const it of heldItems(me, 'boost')) {
    const { li, note } = gearRow(it, `boost-${it.id}`);
    // The server's notes for the boost (how long it runs; what Start adds while it runs).
    const notes = (shopItem(it.id) || {}).boost_texts || {};
    const starts = say('page-starts-on-start', 'starts when you tap Start');
    const isRunning = running.some((b) => b.id === it.id && boostEnd(b) > Date.now());
    const effect = effectOf(it.id);
    note.textContent = (effect ? `${effect} · ` : '') + ((isRunning ? notes.adds : notes.runs) || starts);
    if (Number(it.qty) > 1) li.appendChild(el('div', 'g-qty', `×${fmt(it.qty)}`));
    li.appendChild(actionButton(say('page-start', 'Start'), `start-${it.id}`, (btn) => useItem(it, btn)));
    rows.push(li);
  }
  return rows;
}

// What a boost does, without the shop's "for 30 minutes" (the row says how long instead).
function effectOf(id) {
  return (shopItem(id) || {}).gear_effect || '';
}

function heldRows(me, kind) {
  return heldItems(me, kind).map((it) => {
    const { li } = gearRow(it, `held-${it.id}`);
    if (Number(it.qty) > 1) li.appendChild(el('div', 'g-qty', `×${fmt(it.qty)}`));
    if (it.usable) li.appendChild(actionButton(say('page-use', 'Use'), `use-${it.id}`, (btn) => useItem(it, btn)));
    return li;
  });
}

function renderGear() {
  const me = data.me;
  const box = $('gear-list');
  box.textContent = '';
  let any = false;
  for (const section of GEAR_SECTIONS) {
    const rows = section.rows(me);
    if (!rows.length) continue;
    any = true;
    const part = el('section', 'gear-section');
    part.dataset.kind = section.kind;
    part.setAttribute('data-testid', `gear-${section.kind}`);
    const list = el('ul', 'gear');
    list.append(...rows);
    part.append(el('h3', 'gear-title', section.title()), list);
    box.appendChild(part);
  }
  if (!any) box.appendChild(el('p', 'gear-empty', say('page-no-gear', 'No gear yet — the shop has pickaxes, time and more.')));
}

// When a running boost ends, by the server's count of seconds left when /api/me answered.
function boostEnd(b) {
  if (b.ends_at_local) return b.ends_at_local;
  const secs = Number(b.seconds_left);
  b.ends_at_local = Number.isFinite(secs) ? Date.now() + secs * 1000 : Date.parse(b.expires_at);
  return b.ends_at_local;
}

// Running boosts count down each second; when one runs out, `refresh` redraws home (and the run
// it gives).
export function startBoostClock(refresh) {
  let endedRefresh = null;
  setInterval(() => {
    let ended = false;
    for (const left of document.querySelectorAll('.time-left[data-until]')) {
      const ms = Number(left.dataset.until) - Date.now();
      if (ms <= 0) ended = true;
      else left.textContent = clockText(ms);
    }
    if (ended && ui.screen === 'home' && !endedRefresh) {
      endedRefresh = refresh().finally(() => (endedRefresh = null));
    }
  }, 1000);
}

// Start a boost (or use a refill) through POST /api/use: the server's own use command.
async function useItem(item, btn) {
  if (ui.busy) return;
  ui.busy = true;
  btn.disabled = true;
  const name = item.name || item.id;
  try {
    const res = await api('POST', '/api/use', { item: item.id });
    if (data.me && res.run) data.me.run = res.run;
    showNotice(usedMessage(name, res));
    await loadMe().catch(() => {});
  } catch (e) {
    if (e.status !== 401) showError(friendlyError(e));
  } finally {
    ui.busy = false;
    renderHome();
  }
}

// Today's arcade allowance (UTC days), under the Play button.
function renderAllowance() {
  const box = $('arcade-left');
  const arcade = data.me && data.me.arcade;
  const perDay = arcade ? Number(arcade.gems_per_day) || 0 : 0;
  if (!perDay) {
    box.hidden = true;
    return;
  }
  const left = clamp(Number(arcade.gems_left_today) || 0, 0, perDay);
  box.textContent = '';
  const text = arcade.text || `Arcade gems left today: ${fmt(left)} of ${fmt(perDay)}`;
  box.append(svgIcon('i-gem', 'ico', '0 0 24 24'), el('span', '', text));
  if (!left) {
    const more = `${say('page-more-in', 'More in')} ${untilNextUtcDay(new Date())}`;
    box.append(el('span', 'allowance-more', ` ${more} · ${say('page-runs-still-count', 'runs still count for the leaderboard')}`));
  }
  box.classList.toggle('spent', !left);
  box.hidden = false;
}

export function renderTop() {
  const list = $('top-list');
  list.textContent = '';
  const meBox = $('top-me');
  if (!data.top) {
    list.appendChild(el('li', 'empty', say('page-top-resting', 'The leaderboard is resting. Try again soon.')));
    meBox.hidden = true;
    return;
  }
  const rows = Array.isArray(data.top.top) ? data.top.top.slice(0, 10) : [];
  const mine = data.top.me && typeof data.top.me === 'object' ? data.top.me : null;
  for (const row of rows) {
    const li = el('li');
    const rank = Number(row.rank) || 0;
    li.appendChild(el('span', `rank${rank >= 1 && rank <= 3 ? ' r' + rank : ''}`, rank || '·'));
    li.appendChild(el('span', 't-name', row.name || say('page-miner', 'Miner')));
    li.appendChild(el('span', 't-score', fmt(row.score)));
    if (mine && Number(mine.rank) === rank) li.classList.add('me');
    list.appendChild(li);
  }
  if (!rows.length) list.appendChild(el('li', 'empty', say('page-no-runs', 'No runs yet — be the first!')));
  if (mine && !rows.some((r) => Number(r.rank) === Number(mine.rank))) {
    meBox.textContent = '';
    meBox.append(el('span', '', `${say('page-you', 'You')} · #${fmt(mine.rank)}`), el('span', '', fmt(mine.score)));
    meBox.hidden = false;
  } else meBox.hidden = true;
}

// The next of the player's skins; the server answers with the one runs now use.
export async function nextSkin() {
  const me = data.me;
  const skins = me && Array.isArray(me.skins) ? me.skins : [];
  if (skins.length < 2 || ui.busy) return;
  const next = skins[(skins.indexOf(look.skin) + 1) % skins.length];
  const pill = $('skin-pill');
  pill.disabled = true;
  try {
    const chosen = await api('POST', '/api/skin', { skin: next });
    if (me.run) me.run.skin = chosen.skin;
    setSkin(chosen.skin);
    showNotice(SKINS[chosen.skin] ? SKINS[chosen.skin].chosen() : `${chosen.skin} skin on`);
  } catch (e) {
    showError(e.message);
  } finally {
    pill.disabled = skins.length < 2;
  }
}
