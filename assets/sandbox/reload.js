// What the last reload of game_data/ came to, over the chat: while the files have problems, a red
// banner says the catalog in force is the previous one and lists every problem (file:line:
// message); warnings about the catalog in force (an item removed while players hold it) show in
// an amber one. When the files are valid again the banner goes and a "Catalog reloaded" notice
// shows.

import { $, el } from './dom.js';
import { api } from './api.js';
import { clock } from './format.js';
import { splitProblem } from './parse.js';
import { toast } from './status.js';

// The status drawn last (null before the first answer).
let shown = null;
// Called with the new version when a reload puts another catalog in force.
let newVersion = () => {};

export function onNewVersion(fn) {
  newVersion = fn;
}

export async function refreshReload() {
  let status;
  try {
    status = await api('GET', '/reload');
  } catch (_) {
    return; // the status line says the server is away
  }
  if (shown && status.generation === shown.generation) return;
  const before = shown;
  shown = status;
  render(status);
  if (!before) return;
  const recovered = before.problems.length > 0 && status.problems.length === 0;
  if (recovered || (status.version !== before.version && status.problems.length === 0)) {
    toast(`Catalog reloaded (version ${status.version.slice(0, 8)})`, 'ok');
  }
  if (status.version !== before.version) newVersion(status.version);
}

function render(status) {
  const box = $('reload-banners');
  box.textContent = '';
  if (status.problems.length) {
    const count = status.problems.length;
    const since = status.applied_at ? `, applied at ${clock(status.applied_at / 1000)}` : '';
    box.appendChild(
      banner(
        'bad',
        'reload-errors',
        `game_data has ${count} problem${count === 1 ? '' : 's'} — not reloaded`,
        `You are testing the previous catalog${since}. Fix the files and save: this goes away by itself.`,
        status.problems,
      ),
    );
  }
  if (status.warnings.length) {
    box.appendChild(
      banner('warn', 'reload-warnings', 'The catalog in force has a warning', null, status.warnings),
    );
  }
  box.hidden = !box.childElementCount;
  box.dataset.generation = String(status.generation);
}

function banner(kind, testid, title, note, lines) {
  const node = el('section', `reload-banner ${kind}`);
  node.dataset.testid = testid;
  node.setAttribute('role', kind === 'bad' ? 'alert' : 'status');
  const head = el('div', 'reload-head');
  head.appendChild(el('span', 'reload-ico', kind === 'bad' ? '⛔' : '⚠️'));
  head.appendChild(el('b', 'reload-title', title));
  node.appendChild(head);
  if (note) node.appendChild(el('p', 'reload-note', note));
  const list = el('ul', 'reload-list');
  for (const line of lines) {
    const [where, message, full] = splitProblem(line);
    const item = el('li');
    item.dataset.testid = 'reload-line';
    if (where) {
      const at = el('code', 'reload-where', where);
      at.title = full;
      item.appendChild(at);
    }
    item.appendChild(el('span', 'reload-message', message));
    list.appendChild(item);
  }
  node.appendChild(list);
  return node;
}
