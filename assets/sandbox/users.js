// The sandbox's users: the switcher in the header (with "Add a user…" and its sheet), and switching
// the whole page to another user (their chat, their panel, the link's #user=).

import { $, el } from './dom.js';
import { api } from './api.js';
import { fullSync, resetChat } from './chat.js';
import { follow } from './live.js';
import { avatarColor, initials, userLabel } from './format.js';
import { resetPanel, refreshPanel } from './panel.js';
import { chooseUser } from './parse.js';
import { currentUser, page } from './state.js';
import { toast } from './status.js';

const SAVED_USER = 'starmine-sandbox-user';

// The users again; `selectId` is chosen in the switcher once they are there.
export async function loadUsers(selectId) {
  const data = await api('GET', '/users');
  const users = Array.isArray(data.users) ? data.users : [];
  const same = JSON.stringify(users) === JSON.stringify(page.users);
  page.users = users;
  // Rebuilding the options would close an open drop-down: only when something changed.
  if (!same || selectId != null) renderUserSwitch(selectId != null ? selectId : page.user);
}

function renderUserSwitch(selected) {
  const sel = $('user-switch');
  sel.textContent = '';
  for (const u of page.users) {
    const o = el('option', '', userLabel(u));
    o.value = String(u.id);
    o.dataset.admin = u.admin ? '1' : '0';
    sel.appendChild(o);
  }
  const add = el('option', '', '＋ Add a user…');
  add.value = 'add';
  sel.appendChild(add);
  if (selected != null && page.users.some((u) => u.id === selected)) sel.value = String(selected);
}

// The user the page opens as: the link's, the last one chosen here, or the first player.
export function initialUser() {
  let saved = NaN;
  try {
    saved = Number(localStorage.getItem(SAVED_USER));
  } catch (_) {
    /* storage off */
  }
  return chooseUser(page.users, location.hash, saved);
}

export function switchUser(id) {
  if (id == null) return;
  page.gen++;
  page.user = id;
  resetChat();
  $('user-switch').value = String(id);
  const u = currentUser();
  const av = $('me-avatar');
  av.textContent = initials(u ? u.name : '?');
  av.style.background = avatarColor(id);
  const title = $('panel-title');
  title.textContent = u ? u.name.replace(/\s*\(admin\)\s*/i, '') : String(id);
  if (u && u.admin) title.appendChild(el('span', 'admin-badge', 'admin'));
  title.appendChild(el('span', 'muted', `#${id}`));
  try {
    localStorage.setItem(SAVED_USER, String(id));
  } catch (_) {
    /* storage off */
  }
  history.replaceState(null, '', `#user=${id}`);
  document.body.dataset.user = String(id);
  resetPanel();
  fullSync(true);
  refreshPanel();
  follow();
}

function openUserSheet() {
  $('user-error').hidden = true;
  $('user-name').value = '';
  $('user-lang').value = 'en';
  $('user-wrap').hidden = false;
  setTimeout(() => $('user-name').focus(), 50);
}

// The switcher (its last option opens the sheet) and the sheet's form.
export function wireUsers() {
  $('user-switch').addEventListener('change', (e) => {
    const v = e.target.value;
    if (v === 'add') {
      e.target.value = String(page.user);
      openUserSheet();
      return;
    }
    switchUser(Number(v));
  });

  $('user-sheet').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = $('user-name').value.trim();
    const err = $('user-error');
    if (!name) {
      err.textContent = 'Give the new user a name.';
      err.hidden = false;
      return;
    }
    try {
      const made = await api('POST', '/users', { name, language_code: $('user-lang').value });
      await loadUsers(made.id);
      $('user-wrap').hidden = true;
      switchUser(made.id);
      toast(`${made.name} joined the sandbox`, 'ok');
    } catch (error) {
      err.textContent = error.message;
      err.hidden = false;
    }
  });
}
