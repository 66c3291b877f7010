// The console's sections: one view at a time, chosen by the address's #hash, the navigation's
// link for it marked. Sections not built yet say so plainly instead of showing anything made up.

import { $ } from './dom.js';

// Sections still to come, by name: [title, what to say instead] (none at the moment).
const LATER = {};

// The sections built: each a <section id="view-NAME">.
const BUILT = ['overview', 'items', 'players', 'support', 'transactions'];

export const VIEWS = [...BUILT, ...Object.keys(LATER)];

// The view the address names (the overview when it names none): `#players` or, with what to
// show in it, `#players/1001`.
export function currentView() {
  const name = window.location.hash.replace(/^#/, '').split('/')[0];
  return VIEWS.includes(name) ? name : 'overview';
}

// What the address asks the view to show: '1001' of `#players/1001`, '' when nothing.
export function viewArgument() {
  const [, argument] = window.location.hash.replace(/^#/, '').split('/');
  return decodeURIComponent(argument || '');
}

// Shows `view`; `onShow(view)` loads what it needs.
export function show(view, onShow) {
  for (const link of document.querySelectorAll('.nav a')) {
    const active = link.dataset.view === view;
    link.classList.toggle('active', active);
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  for (const built of BUILT) $(`view-${built}`).hidden = view !== built;
  const later = LATER[view];
  $('view-later').hidden = !later;
  if (later) {
    $('later-title').textContent = later[0];
    $('later-text').textContent = later[1];
  }
  onShow(view);
}

export function watchNavigation(onShow) {
  window.addEventListener('hashchange', () => show(currentView(), onShow));
  show(currentView(), onShow);
}
