// The page's words in the player's language. The server formats them (GET /api/me: `lang`, `dir`
// and `texts`, from assets/i18n/<lang>/game.ftl); nothing is translated here. Until /api/me
// answers, index.html's English shows, and a key the server did not send keeps the English given.
// Pure but for `applyTexts`' document: `node --test` loads it through messages.js.

import { setLocale } from './format.js';

const words = {};

// Takes the server's words: the page's language and direction (right to left for Persian), and
// every `data-text` element's text.
export function applyTexts(me, doc = globalThis.document) {
  if (!me || !me.texts || typeof me.texts !== 'object') return;
  Object.assign(words, me.texts);
  setLocale(me.lang);
  if (!doc) return;
  doc.documentElement.lang = me.lang || 'en';
  doc.documentElement.dir = me.dir === 'rtl' ? 'rtl' : 'ltr';
  for (const node of doc.querySelectorAll('[data-text]')) {
    const text = words[node.dataset.text];
    if (text) node.textContent = text;
  }
  // Names only screen readers say (icon buttons): `data-aria-text` names their key.
  for (const node of doc.querySelectorAll('[data-aria-text]')) {
    const text = words[node.dataset.ariaText];
    if (text) node.setAttribute('aria-label', text);
  }
}

// The server's words for `key`, or `english` before it has answered.
export function say(key, english) {
  return words[key] || english;
}
