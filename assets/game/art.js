// Small pictures drawn on canvases: a shop or held item's art (chosen from what it does), an
// upgrade track's, a skin's, the pickaxe on a button. All at the device's pixel ratio.

import { clamp, rgba } from './math.js';
import { drawCutGem, drawPickaxe, drawStarGem, poly } from './draw.js';
import { TIERS } from './scoring.js';
import { skinOf } from './skins.js';

// The device's pixel ratio, 1 to 3.
export function dpr() {
  return clamp(window.devicePixelRatio || 1, 1, 3);
}

function drawBolt(ctx, x, y, s) {
  const g = ctx.createLinearGradient(x, y - s, x, y + s);
  g.addColorStop(0, '#fff6a8');
  g.addColorStop(1, '#ffae00');
  ctx.fillStyle = g;
  poly(ctx, [
    [x + s * 0.15, y - s],
    [x - s * 0.6, y + s * 0.15],
    [x - s * 0.05, y + s * 0.15],
    [x - s * 0.2, y + s],
    [x + s * 0.65, y - s * 0.2],
    [x + s * 0.08, y - s * 0.2],
  ]);
  ctx.fill();
  ctx.strokeStyle = '#8a5200';
  ctx.lineWidth = s * 0.08;
  ctx.stroke();
}

function drawHourglass(ctx, x, y, s, accent) {
  ctx.fillStyle = '#c08a55';
  ctx.fillRect(x - s * 0.7, y - s, s * 1.4, s * 0.2);
  ctx.fillRect(x - s * 0.7, y + s * 0.8, s * 1.4, s * 0.2);
  ctx.fillStyle = 'rgba(210,235,255,0.35)';
  poly(ctx, [[x - s * 0.55, y - s * 0.8], [x + s * 0.55, y - s * 0.8], [x + s * 0.08, y], [x + s * 0.55, y + s * 0.8], [x - s * 0.55, y + s * 0.8], [x - s * 0.08, y]]);
  ctx.fill();
  ctx.strokeStyle = 'rgba(255,255,255,0.6)';
  ctx.lineWidth = s * 0.07;
  ctx.stroke();
  ctx.fillStyle = accent;
  poly(ctx, [[x - s * 0.3, y - s * 0.5], [x + s * 0.3, y - s * 0.5], [x, y - s * 0.08]]);
  ctx.fill();
  poly(ctx, [[x - s * 0.45, y + s * 0.78], [x + s * 0.45, y + s * 0.78], [x, y + s * 0.35]]);
  ctx.fill();
}

function drawDynamite(ctx, x, y, s) {
  for (let i = -1; i <= 1; i++) {
    const g = ctx.createLinearGradient(x + i * s * 0.4 - s * 0.2, 0, x + i * s * 0.4 + s * 0.2, 0);
    g.addColorStop(0, '#ff6b5b');
    g.addColorStop(1, '#a3121e');
    ctx.fillStyle = g;
    ctx.fillRect(x + i * s * 0.4 - s * 0.19, y - s * 0.55, s * 0.38, s * 1.35);
  }
  ctx.fillStyle = '#3b2a1a';
  ctx.fillRect(x - s * 0.65, y - s * 0.05, s * 1.3, s * 0.22);
  ctx.strokeStyle = '#d9c7a6';
  ctx.lineWidth = s * 0.08;
  ctx.beginPath();
  ctx.moveTo(x, y - s * 0.55);
  ctx.quadraticCurveTo(x + s * 0.2, y - s * 0.9, x + s * 0.45, y - s * 0.85);
  ctx.stroke();
  ctx.fillStyle = '#ffd34d';
  ctx.beginPath();
  ctx.arc(x + s * 0.5, y - s * 0.87, s * 0.14, 0, Math.PI * 2);
  ctx.fill();
}

function drawMap(ctx, x, y, s) {
  ctx.fillStyle = '#e8d3a2';
  poly(ctx, [[x - s * 0.8, y - s * 0.65], [x + s * 0.8, y - s * 0.7], [x + s * 0.75, y + s * 0.7], [x - s * 0.85, y + s * 0.65]]);
  ctx.fill();
  ctx.strokeStyle = '#8a6a35';
  ctx.lineWidth = s * 0.07;
  ctx.stroke();
  ctx.setLineDash([s * 0.12, s * 0.1]);
  ctx.beginPath();
  ctx.moveTo(x - s * 0.55, y + s * 0.4);
  ctx.quadraticCurveTo(x - s * 0.1, y - s * 0.3, x + s * 0.35, y - s * 0.15);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = '#c1272d';
  ctx.lineWidth = s * 0.12;
  ctx.beginPath();
  ctx.moveTo(x + s * 0.25, y - s * 0.35);
  ctx.lineTo(x + s * 0.55, y - s * 0.05);
  ctx.moveTo(x + s * 0.55, y - s * 0.35);
  ctx.lineTo(x + s * 0.25, y - s * 0.05);
  ctx.stroke();
}

function drawLantern(ctx, x, y, s, color) {
  const glow = ctx.createRadialGradient(x, y + s * 0.1, 0, x, y + s * 0.1, s * 1.1);
  glow.addColorStop(0, rgba(color, 0.55));
  glow.addColorStop(1, rgba(color, 0));
  ctx.fillStyle = glow;
  ctx.fillRect(x - s * 1.2, y - s * 1.2, s * 2.4, s * 2.4);
  ctx.fillStyle = '#2b2433';
  ctx.strokeStyle = '#9aa6b2';
  ctx.lineWidth = s * 0.1;
  ctx.beginPath();
  ctx.roundRect ? ctx.roundRect(x - s * 0.45, y - s * 0.55, s * 0.9, s * 1.2, s * 0.2) : ctx.rect(x - s * 0.45, y - s * 0.55, s * 0.9, s * 1.2);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(x, y - s * 0.3);
  ctx.quadraticCurveTo(x + s * 0.3, y + s * 0.15, x, y + s * 0.4);
  ctx.quadraticCurveTo(x - s * 0.3, y + s * 0.15, x, y - s * 0.3);
  ctx.fill();
  ctx.beginPath();
  ctx.arc(x, y - s * 0.75, s * 0.2, Math.PI, 0);
  ctx.stroke();
}

// Art for a shop item or an owned item, chosen from its effect text first, then its id and name.
export function drawItemArt(canvas, item, skinId) {
  const size = 40;
  const ratio = dpr();
  canvas.width = Math.round(size * ratio);
  canvas.height = Math.round(size * ratio);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const eff = String(item.effect || '').toLowerCase();
  const name = `${item.id || ''} ${item.name || ''}`.toLowerCase();
  const all = `${eff} ${name} ${String(item.description || '').toLowerCase()}`;
  const c = size / 2;
  const pickaxe = (skin) => {
    const a = -0.75;
    drawPickaxe(ctx, c + 9, c + 13, a, 0.78, skinOf(skin));
  };
  const skinIn = (text) =>
    /dragon/.test(text) ? 'dragon' : /crystal|diamond/.test(text) ? 'crystal' : /gold/.test(text) ? 'gold' : null;
  if (/\bs per run|second|extra time|\+\s*\d+\s*s\b/.test(eff)) drawHourglass(ctx, c, c, 15, '#ffd34d');
  else if (/skin/.test(eff) || /skin/.test(name)) pickaxe(skinIn(eff + ' ' + name) || skinId);
  else if (/×|\bx\s?\d|score|multiplier/.test(eff)) drawStarGem(ctx, c, c, 15, TIERS.starstone.pal, 0);
  else if (/energy|refill/.test(all)) drawBolt(ctx, c, c, 15);
  else if (/pickaxe|drill/.test(name)) pickaxe(skinIn(name) || (/founder/.test(name) ? 'gold' : 'classic'));
  else if (/dynamite|tnt|blast/.test(all)) drawDynamite(ctx, c, c + 2, 16);
  else if (/map/.test(name)) drawMap(ctx, c, c, 16);
  else if (/lantern|luck/.test(all)) drawLantern(ctx, c, c, 15, '#ffb547');
  else if (/time|clock|hourglass/.test(all)) drawHourglass(ctx, c, c, 15, '#ffd34d');
  else if (/wind|life/.test(all)) drawCutGem(ctx, c, c, 14, ['#d6ffe9', '#2bd67b', '#075c31']);
  else if (/gem/.test(all)) drawCutGem(ctx, c, c, 14, TIERS.sapphire.pal);
  else drawCutGem(ctx, c, c, 14, TIERS.ruby.pal);
}

// A track's picture by what it does.
export function drawTrackArt(canvas, track, skinId) {
  const looks = {
    yield: { id: 'pickaxe', name: 'pickaxe' },
    luck: { id: 'lantern', name: 'lantern' },
    energy_cap: { id: 'battery', effect: 'energy' },
    regen: { id: 'generator', effect: 'energy' },
    run_seconds: { id: 'steady', effect: 'seconds' },
  };
  drawItemArt(canvas, looks[track.effect] || { id: 'gem', name: 'gem' }, skinId);
  if (track.effect !== 'regen') return;
  // regeneration: the bolt in a turning arrow
  const ctx = canvas.getContext('2d');
  ctx.strokeStyle = '#8cf5c0';
  ctx.lineWidth = 2.2;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.arc(20, 20, 17, -Math.PI * 0.35, Math.PI * 1.25);
  ctx.stroke();
  poly(ctx, [[25, 2.5], [32.5, 4], [27, 9.5]]);
  ctx.fillStyle = '#8cf5c0';
  ctx.fill();
}

export function drawSkinArt(canvas, skin) {
  const size = 40;
  const ratio = dpr();
  canvas.width = Math.round(size * ratio);
  canvas.height = Math.round(size * ratio);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const look = skinOf(skin);
  // A lit disc behind the pickaxe: a dark skin (the dragon's) still reads on the dark card.
  const disc = ctx.createRadialGradient(17, 15, 2, 20, 20, 19);
  disc.addColorStop(0, rgba(look.accent, 0.75));
  disc.addColorStop(0.7, rgba(look.accent2, 0.35));
  disc.addColorStop(1, rgba(look.accent2, 0));
  ctx.fillStyle = disc;
  ctx.fillRect(0, 0, size, size);
  drawPickaxe(ctx, 29, 33, -0.75, 0.78, look);
}

export function drawButtonPick(canvas, skin) {
  const size = 34;
  const ratio = dpr();
  canvas.width = Math.round(size * ratio);
  canvas.height = Math.round(size * ratio);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, size, size);
  drawPickaxe(ctx, 8, 29, 0.75, 0.62, skin);
}
