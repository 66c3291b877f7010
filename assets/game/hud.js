// The run's heads-up display over the board: score, multiplier, combo, the timer bar and seconds,
// and the "Time's up!" banner.

import { $, el } from './dom.js';
import { clamp } from './math.js';
import { fmt, formatMult } from './format.js';
import { lowTimeMs } from './run.js';
import { COMBO_WINDOW_MS, comboPct } from './scoring.js';
import { say } from './texts.js';

// A new run's HUD: no score, its multiplier, the whole time left.
export function resetHud(run) {
  $('hud-score').textContent = '0';
  $('hud-mult').textContent = formatMult(run.multiplier);
  $('hud-mult').classList.toggle('plain', run.multPct <= 100);
  $('hud-combo').textContent = '';
  $('timer-fill').style.transform = 'scaleX(1)';
  $('timer-fill').classList.remove('low');
  document.querySelector('.hud-time').classList.remove('low');
  $('hud-time').textContent = String(Math.ceil(run.durationMs / 1000));
  $('banner').classList.remove('show');
}

// The score after an ore was mined, with a bump.
export function showScore(run) {
  const hs = $('hud-score');
  hs.textContent = fmt(run.score);
  hs.classList.remove('bump');
  void hs.offsetWidth;
  hs.classList.add('bump');
}

// The running combo and its bonus while it lasts; `bump` animates it (a new ore in the chain).
export function updateComboHud(run, t, bump) {
  const c = $('hud-combo');
  const active = run.combo >= 2 && t - run.lastMineT <= COMBO_WINDOW_MS;
  const text = active ? `${say('page-combo', 'Combo')} ×${fmt(run.combo)} +${fmt(comboPct(run.combo) - 100)}%` : '';
  if (c.textContent !== text) c.textContent = text;
  if (bump && active) {
    c.classList.remove('bump');
    void c.offsetWidth;
    c.classList.add('bump');
  }
}

// The timer bar and seconds left (red in the last seconds) and the combo, each frame of play.
export function updateTimer(run) {
  if (run.phase !== 'playing') return;
  const left = run.durationMs - run.t;
  const frac = clamp(left / run.durationMs, 0, 1);
  $('timer-fill').style.transform = `scaleX(${frac})`;
  const secsLeft = String(Math.ceil(left / 1000));
  if ($('hud-time').textContent !== secsLeft) $('hud-time').textContent = secsLeft;
  const low = left < lowTimeMs(run);
  $('timer-fill').classList.toggle('low', low);
  document.querySelector('.hud-time').classList.toggle('low', low);
  updateComboHud(run, run.t, false);
}

// The run is over: the timer at zero and the banner.
export function showTimesUp() {
  $('hud-time').textContent = '0';
  $('timer-fill').style.transform = 'scaleX(0)';
  const banner = $('banner');
  banner.textContent = '';
  banner.appendChild(el('span', '', say('page-times-up', "Time's up!")));
  banner.classList.add('show');
}
