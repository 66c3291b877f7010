// The console's sections: one view at a time, chosen by the address's #hash, the navigation's
// link for it marked. Sections not built yet say so plainly instead of showing anything made up.

import { $ } from './dom.js';

const LATER = {
  support: ['Support', 'The /paysupport inbox. Until this section arrives, messages are forwarded to the admins in the chat.'],
};

// The sections built: each a <section id="view-NAME">.
const BUILT = ['overview', 'items', 'players', 'transactions'];

export const VIEWS = [...BUILT, ...Object.keys(LATER)];

// The view the address names (the overview when it names none).
export function currentView() {
  const name = window.location.hash.replace(/^#/, '');
  return VIEWS.includes(name) ? name : 'overview';
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
