// The skin the page wears: the body's colours, the skin pill's name, the pickaxes on buttons, the
// board's cursor and the backdrop follow `look.skin`.

import { $ } from './dom.js';
import { drawButtonPick } from './art.js';
import { paintBackdrop } from './cave.js';
import { drawPickaxe, PICK_TIP } from './draw.js';
import { rotate } from './math.js';
import { SKINS, skinOf } from './skins.js';
import { look } from './state.js';

export function setSkin(id) {
  const skin = SKINS[id] ? id : 'classic';
  look.skin = skin;
  document.body.className = `skin-${skin}`;
  $('skin-name').textContent = SKINS[skin].label();
  for (const c of document.querySelectorAll('canvas.pick-ico')) drawButtonPick(c, SKINS[skin]);
  applyCursor();
  paintBackdrop();
}

function applyCursor() {
  try {
    const c = document.createElement('canvas');
    c.width = 48;
    c.height = 48;
    const ctx = c.getContext('2d');
    const a = -1.05;
    const tip = rotate(PICK_TIP, a);
    const scale = 0.95;
    const hot = [5, 5];
    drawPickaxe(ctx, hot[0] - tip[0] * scale, hot[1] - tip[1] * scale, a, scale, skinOf(look.skin));
    $('board').style.cursor = `url(${c.toDataURL('image/png')}) ${hot[0]} ${hot[1]}, crosshair`;
  } catch (_) {
    /* a plain cursor is fine */
  }
}
