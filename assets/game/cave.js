// The cave wall behind every screen (and, brighter, behind the run's board) and the home screen's
// turning hero gem.

import { $ } from './dom.js';
import { dpr } from './art.js';
import { drawStarGem, drawTwinkle, poly } from './draw.js';
import { prng, rgba } from './math.js';
import { TIERS } from './scoring.js';
import { skinOf } from './skins.js';
import { look, ui } from './state.js';

const backdrop = $('backdrop');

export function paintCaveWall(ctx, w, h, seed, accent, strong) {
  const rand = prng(seed);
  const g = ctx.createLinearGradient(0, 0, 0, h);
  g.addColorStop(0, '#1c1526');
  g.addColorStop(0.5, '#140f1c');
  g.addColorStop(1, '#0a0810');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  // rock facets
  const cells = Math.round((w * h) / 5200);
  for (let i = 0; i < cells; i++) {
    const cx = rand() * w;
    const cy = rand() * h;
    const rr = 26 + rand() * 46;
    const n = 5 + Math.floor(rand() * 3);
    const pts = [];
    for (let k = 0; k < n; k++) {
      const a = (k / n) * Math.PI * 2 + rand() * 0.5;
      const d = rr * (0.6 + rand() * 0.5);
      pts.push([cx + Math.cos(a) * d, cy + Math.sin(a) * d * 0.75]);
    }
    const tone = rand();
    ctx.fillStyle = tone < 0.5 ? `rgba(70,58,86,${0.08 + rand() * 0.12})` : `rgba(10,8,16,${0.15 + rand() * 0.2})`;
    poly(ctx, pts);
    ctx.fill();
    ctx.strokeStyle = `rgba(0,0,0,${0.25 + rand() * 0.2})`;
    ctx.lineWidth = 1;
    ctx.stroke();
    ctx.strokeStyle = 'rgba(255,255,255,0.035)';
    ctx.beginPath();
    ctx.moveTo(pts[0][0], pts[0][1] + 1);
    ctx.lineTo(pts[1][0], pts[1][1] + 1);
    ctx.stroke();
  }
  // strata
  for (let s = 0; s < 4; s++) {
    const y0 = h * (0.15 + s * 0.24) + rand() * 30;
    ctx.strokeStyle = `rgba(120,100,140,${0.05 + rand() * 0.05})`;
    ctx.lineWidth = 6 + rand() * 10;
    ctx.beginPath();
    ctx.moveTo(-10, y0);
    for (let x = 0; x <= w + 40; x += 40) ctx.lineTo(x, y0 + Math.sin(x * 0.02 + s) * 10 + (rand() - 0.5) * 8);
    ctx.stroke();
  }
  // embedded glimmers
  const glims = Math.round((w * h) / 16000);
  const tierList = Object.values(TIERS);
  for (let i = 0; i < glims; i++) {
    const t = tierList[Math.floor(rand() * tierList.length)];
    const x = rand() * w;
    const y = rand() * h;
    const s = 1 + rand() * 2.2;
    const gl = ctx.createRadialGradient(x, y, 0, x, y, s * 5);
    gl.addColorStop(0, rgba(t.pal[1], strong ? 0.35 : 0.25));
    gl.addColorStop(1, rgba(t.pal[1], 0));
    ctx.fillStyle = gl;
    ctx.fillRect(x - s * 5, y - s * 5, s * 10, s * 10);
    ctx.fillStyle = rgba(t.pal[0], 0.8);
    ctx.beginPath();
    ctx.arc(x, y, s * 0.6, 0, Math.PI * 2);
    ctx.fill();
  }
  // stalactites
  ctx.fillStyle = '#07050b';
  ctx.beginPath();
  ctx.moveTo(0, 0);
  let x = 0;
  while (x < w) {
    const bw = 14 + rand() * 34;
    const depth = 8 + rand() * (strong ? 34 : 22);
    ctx.lineTo(x + bw * 0.5, depth);
    ctx.lineTo(x + bw, 2 + rand() * 4);
    x += bw;
  }
  ctx.lineTo(w, 0);
  ctx.closePath();
  ctx.fill();
  // lantern glow
  const lg = ctx.createRadialGradient(w * 0.5, h * 0.05, 0, w * 0.5, h * 0.05, Math.max(w, h) * 0.75);
  lg.addColorStop(0, rgba(accent, 0.16));
  lg.addColorStop(1, rgba(accent, 0));
  ctx.fillStyle = lg;
  ctx.fillRect(0, 0, w, h);
  // vignette
  const v = ctx.createRadialGradient(w / 2, h / 2, Math.min(w, h) * 0.3, w / 2, h / 2, Math.max(w, h) * 0.75);
  v.addColorStop(0, 'rgba(0,0,0,0)');
  v.addColorStop(1, 'rgba(0,0,0,0.6)');
  ctx.fillStyle = v;
  ctx.fillRect(0, 0, w, h);
}

let backdropKey = '';
export function paintBackdrop() {
  const w = window.innerWidth;
  const h = window.innerHeight;
  const ratio = dpr();
  const key = `${w}x${h}@${ratio}:${look.skin}`;
  if (key === backdropKey) return;
  backdropKey = key;
  backdrop.width = Math.round(w * ratio);
  backdrop.height = Math.round(h * ratio);
  const ctx = backdrop.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  paintCaveWall(ctx, w, h, 'backdrop', skinOf(look.skin).accent, false);
}

const heroCanvas = $('hero-gem');
let heroRaf = 0;
function heroFrame(ts) {
  heroRaf = 0;
  if (ui.screen !== 'home') return;
  const ratio = dpr();
  const size = heroCanvas.clientWidth || 120;
  if (heroCanvas.width !== Math.round(size * ratio)) {
    heroCanvas.width = Math.round(size * ratio);
    heroCanvas.height = Math.round(size * ratio);
  }
  const ctx = heroCanvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, size, size);
  const t = ts / 1000;
  const c = size / 2;
  const skin = skinOf(look.skin);
  const halo = ctx.createRadialGradient(c, c, 0, c, c, c);
  halo.addColorStop(0, rgba(skin.accent, 0.45));
  halo.addColorStop(1, rgba(skin.accent, 0));
  ctx.fillStyle = halo;
  ctx.fillRect(0, 0, size, size);
  ctx.save();
  ctx.translate(c, c);
  ctx.rotate(t * 0.35);
  for (let i = 0; i < 8; i++) {
    ctx.rotate(Math.PI / 4);
    const rg = ctx.createLinearGradient(0, 0, 0, -c);
    rg.addColorStop(0, rgba(skin.accent, 0.28));
    rg.addColorStop(1, rgba(skin.accent, 0));
    ctx.fillStyle = rg;
    ctx.beginPath();
    ctx.moveTo(-4, 0);
    ctx.lineTo(0, -c * 0.98);
    ctx.lineTo(4, 0);
    ctx.fill();
  }
  ctx.restore();
  const bob = Math.sin(t * 2) * 3;
  drawStarGem(ctx, c, c + bob, size * 0.3, TIERS.starstone.pal, Math.sin(t * 0.8) * 0.15);
  for (let i = 0; i < 3; i++) {
    const a = t * 0.9 + (i * Math.PI * 2) / 3;
    const tw = 0.5 + 0.5 * Math.sin(t * 3 + i * 2);
    drawTwinkle(ctx, c + Math.cos(a) * size * 0.38, c + Math.sin(a) * size * 0.3 + bob, 3 + tw * 4, tw);
  }
  heroRaf = requestAnimationFrame(heroFrame);
}

// Turns the hero gem while home shows (it stops itself on another screen).
export function startHero() {
  if (!heroRaf) heroRaf = requestAnimationFrame(heroFrame);
}
