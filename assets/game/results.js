// The results screen: filled while the finish request flies ("Saving your score…"), then with what
// the server stored (best, gems, rank, the day's allowance) or why it could not.

import { $ } from './dom.js';
import { fmt, formatMult } from './format.js';
import { renderHome, renderTop } from './home.js';
import { showError } from './screens.js';
import { loadMe, loadTop } from './session.js';
import { data } from './state.js';
import { say } from './texts.js';

export function prepareResults(run) {
  const r = $('screen-results');
  r.dataset.state = 'saving';
  $('results-title').textContent = say('page-times-up', "Time's up!");
  $('final-score').textContent = fmt(run.score);
  $('saving').textContent = say('page-saving', 'Saving your score…');
  $('saving').hidden = false;
  $('new-best').hidden = true;
  $('result-best').textContent = '—';
  $('gems-awarded').textContent = '—';
  $('rank').textContent = '—';
  $('mined-count').textContent = fmt(run.mined);
  $('best-combo').textContent = run.bestCombo >= 2 ? `×${run.bestCombo}` : '—';
  $('result-mult').textContent = formatMult(run.multiplier);
  $('result-error').hidden = true;
  $('daily-note').hidden = true;
  $('share-btn').hidden = true;
  $('again-btn').disabled = true;
}

// The finish request's outcome `out` ({ ok, res } or { ok: false, err }) for `run`, the run on the
// board (play.js checks).
export function settleResults(run, out) {
  const r = $('screen-results');
  $('again-btn').disabled = false;
  $('saving').hidden = true;
  if (out.ok) {
    const res = out.res || {};
    r.dataset.state = 'saved';
    $('final-score').textContent = fmt(res.score != null ? res.score : run.score);
    $('result-best').textContent = fmt(res.best);
    $('gems-awarded').textContent = `+${fmt(res.gems_awarded)}`;
    $('rank').textContent = res.rank ? `#${fmt(res.rank)}` : '—';
    $('new-best').hidden = !res.new_best;
    $('results-title').textContent = res.new_best ? say('page-what-a-run', 'What a run!') : say('page-times-up', "Time's up!");
    const proxy = window.TelegramGameProxy;
    $('share-btn').hidden = !(proxy && typeof proxy.shareScore === 'function');
    showDailyNote(res);
    if (data.me) {
      data.me.best_score = Math.max(Number(data.me.best_score) || 0, Number(res.best) || 0);
      data.me.gems = (Number(data.me.gems) || 0) + (Number(res.gems_awarded) || 0);
      if (data.me.arcade && res.gems_left_today != null) data.me.arcade.gems_left_today = res.gems_left_today;
    }
    // background refresh for the home screen
    Promise.allSettled([loadMe(), loadTop()]).then(() => {
      renderHome();
      renderTop();
    });
  } else {
    const err = out.err;
    r.dataset.state = 'error';
    if (err && err.status === 401) return;
    const msg = (err && err.message) || say('page-score-lost', 'Your score could not be saved.');
    $('result-error').textContent = `${say('page-score-not-saved', 'Score not saved:')} ${msg}`;
    $('result-error').hidden = false;
    showError(msg);
  }
}

// Under the results: whether the day's arcade allowance capped this run's gems, or what is left.
function showDailyNote(res) {
  const note = $('daily-note');
  const arcade = data.me && data.me.arcade;
  const perDay = arcade ? Number(arcade.gems_per_day) || 0 : 0;
  note.classList.toggle('capped', Boolean(res.daily_limit_reached));
  if (res.daily_limit_reached) note.textContent = say('page-daily-gems-reached', 'Daily arcade gems reached — your score still counts for the leaderboard');
  else if (res.gems_left_today != null && perDay) note.textContent = res.gems_left_text;
  else {
    note.hidden = true;
    return;
  }
  note.hidden = false;
}
