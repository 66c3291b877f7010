// The board's frames: the cave wall, drifting dust and lantern light, the ores with their life
// rings, shattering shards and sparks, pickaxe swings, floating points and the low-time vignette.

import { drawPickaxe, drawTwinkle, PICK_TIP } from './draw.js';
import { clamp, rgba, rotate } from './math.js';
import { lowTimeMs } from './run.js';
import { skinOf } from './skins.js';

// One frame of `run` at `ts` on the board `ctx` over `view` (size, pixel ratio, the cave wall and
// its dust), `dt` ms after the last.
export function renderBoard(ctx, view, run, ts, dt) {
  const { w, h, ratio } = view;
  const t = run.phase === 'countdown' ? 0 : run.phase === 'over' ? run.durationMs : run.t;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  let sx = 0;
  let sy = 0;
  if (run.shake > 0.1) {
    sx = (Math.random() - 0.5) * run.shake;
    sy = (Math.random() - 0.5) * run.shake;
    run.shake *= Math.pow(0.0015, dt / 1000);
  }
  ctx.translate(sx, sy);
  if (view.bg) ctx.drawImage(view.bg, -4, -4, w + 8, h + 8);
  const skin = skinOf(run.skin);
  const secs = ts / 1000;

  // floating dust in the lantern light
  for (const d of view.dust) {
    const y = (d.y - secs * d.v) % h;
    const yy = y < 0 ? y + h : y;
    const x = d.x + Math.sin(secs * 0.7 + d.p) * 8;
    ctx.fillStyle = rgba(skin.accent, 0.18 + 0.18 * Math.sin(secs * 2 + d.p));
    ctx.beginPath();
    ctx.arc(x, yy, d.s, 0, Math.PI * 2);
    ctx.fill();
  }
  // flickering lantern glow
  const flicker = 0.075 + 0.025 * Math.sin(secs * 9) + 0.015 * Math.sin(secs * 23);
  const lg = ctx.createRadialGradient(w / 2, -20, 10, w / 2, -20, h * 0.9);
  lg.addColorStop(0, rgba(skin.glow, flicker));
  lg.addColorStop(1, rgba(skin.glow, 0));
  ctx.fillStyle = lg;
  ctx.fillRect(0, 0, w, h);

  // ores
  for (const o of run.ores) {
    if (o.mined || t < o.born || t >= o.born + o.life) continue;
    drawOre(ctx, o, t, secs);
  }

  // particles
  const dts = dt / 1000;
  const keep = [];
  for (const p of run.particles) {
    p.age += dt;
    if (p.age >= p.life) continue;
    keep.push(p);
    const k = 1 - p.age / p.life;
    if (p.kind === 'shard') {
      p.vy += 900 * dts;
      p.x += p.vx * dts;
      p.y += p.vy * dts;
      p.rot += p.vr * dts;
      ctx.save();
      ctx.globalAlpha = Math.min(1, k * 1.6);
      ctx.translate(p.x, p.y);
      ctx.rotate(p.rot);
      ctx.fillStyle = p.color;
      ctx.beginPath();
      ctx.moveTo(0, -p.size);
      ctx.lineTo(p.size * 0.8, p.size * 0.6);
      ctx.lineTo(-p.size * 0.7, p.size * 0.5);
      ctx.closePath();
      ctx.fill();
      ctx.strokeStyle = 'rgba(0,0,0,0.35)';
      ctx.lineWidth = 0.8;
      ctx.stroke();
      ctx.restore();
    } else if (p.kind === 'spark') {
      p.vx *= Math.pow(0.02, dts);
      p.vy *= Math.pow(0.02, dts);
      p.vy += 200 * dts;
      const x0 = p.x;
      const y0 = p.y;
      p.x += p.vx * dts;
      p.y += p.vy * dts;
      ctx.strokeStyle = p.color;
      ctx.globalAlpha = k;
      ctx.lineWidth = p.size;
      ctx.lineCap = 'round';
      ctx.beginPath();
      ctx.moveTo(x0 - p.vx * 0.03, y0 - p.vy * 0.03);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      ctx.globalAlpha = 1;
    } else if (p.kind === 'dust') {
      p.x += p.vx * dts;
      p.y += p.vy * dts;
      ctx.fillStyle = rgba(p.color, 0.35 * k);
      ctx.beginPath();
      ctx.arc(p.x, p.y, p.size * (1.4 - k * 0.6), 0, Math.PI * 2);
      ctx.fill();
    } else if (p.kind === 'ring') {
      ctx.strokeStyle = rgba(p.color, 0.8 * k);
      ctx.lineWidth = 3 * k + 1;
      ctx.beginPath();
      ctx.arc(p.x, p.y, p.size * (1 + (1 - k) * 0.9), 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  run.particles = keep;

  // pickaxe swings
  const swingMs = 200;
  run.swings = run.swings.filter((s) => t - s.born < swingMs + 120);
  for (const s of run.swings) {
    const k = clamp((t - s.born) / swingMs, 0, 1);
    const ease = 1 - Math.pow(1 - k, 3);
    const aEnd = -1.15;
    const a = aEnd - 1.0 * (1 - ease);
    const scale = 1.1;
    const tipEnd = rotate(PICK_TIP, aEnd);
    const pivot = [s.x - tipEnd[0] * scale, s.y - tipEnd[1] * scale];
    ctx.save();
    ctx.globalAlpha = t - s.born > swingMs ? clamp(1 - (t - s.born - swingMs) / 120, 0, 1) : 1;
    drawPickaxe(ctx, pivot[0], pivot[1], a, scale, skin);
    ctx.restore();
  }

  // floating texts
  run.floaters = run.floaters.filter((f) => t - f.born < f.life);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const f of run.floaters) {
    const k = (t - f.born) / f.life;
    const y = f.y - (f.center ? 14 : 46) * (1 - Math.pow(1 - k, 2));
    const pop = k < 0.15 ? 0.6 + (k / 0.15) * 0.5 : 1.1 - Math.min(0.1, (k - 0.15) * 0.3);
    ctx.save();
    ctx.globalAlpha = k > 0.65 ? 1 - (k - 0.65) / 0.35 : 1;
    ctx.translate(f.x, y);
    ctx.scale(pop, pop);
    ctx.font = `900 ${f.size}px ${getComputedStyle(document.body).fontFamily}`;
    ctx.lineWidth = Math.max(3, f.size * 0.18);
    ctx.lineJoin = 'round';
    ctx.strokeStyle = rgba(f.edge, 0.9);
    ctx.strokeText(f.text, 0, 0);
    ctx.fillStyle = f.color;
    ctx.fillText(f.text, 0, 0);
    ctx.restore();
  }

  // low-time warning vignette
  const left = run.durationMs - t;
  if (run.phase === 'playing' && left < lowTimeMs(run)) {
    const pulse = 0.25 + 0.2 * Math.sin(secs * 10);
    const v = ctx.createRadialGradient(w / 2, h / 2, Math.min(w, h) * 0.35, w / 2, h / 2, Math.max(w, h) * 0.7);
    v.addColorStop(0, 'rgba(255,40,60,0)');
    v.addColorStop(1, `rgba(255,40,60,${pulse})`);
    ctx.fillStyle = v;
    ctx.fillRect(0, 0, w, h);
  }
}

function drawOre(ctx, o, t, secs) {
  const age = t - o.born;
  const remaining = o.life - age;
  const tier = o.tier;
  // pop in, then crumble away
  const kIn = clamp(age / 220, 0, 1);
  const c1 = 1.70158;
  const c3 = c1 + 1;
  let scale = 1 + c3 * Math.pow(kIn - 1, 3) + c1 * Math.pow(kIn - 1, 2);
  let alpha = 1;
  if (remaining < 280) {
    const k = remaining / 280;
    alpha = k;
    scale *= 0.85 + 0.15 * k;
  }
  const blink = remaining < 650 && Math.floor(remaining / 110) % 2 === 0 ? 0.55 : 1;
  const bob = Math.sin(secs * 3 + o.id) * 1.5;
  const x = o.x;
  const y = o.y + bob;
  ctx.save();
  ctx.globalAlpha = alpha * blink;

  // glow for rarer ore
  if (tier.value >= 20) {
    const gr = o.r * (tier.id === 'starstone' ? 2.2 : 1.6);
    const pulse = 0.35 + 0.15 * Math.sin(secs * 5 + o.id);
    const g = ctx.createRadialGradient(x, y, o.r * 0.2, x, y, gr);
    g.addColorStop(0, rgba(tier.pal[1], pulse));
    g.addColorStop(1, rgba(tier.pal[1], 0));
    ctx.fillStyle = g;
    ctx.fillRect(x - gr, y - gr, gr * 2, gr * 2);
  }
  if (tier.id === 'starstone') {
    ctx.save();
    ctx.translate(x, y);
    ctx.rotate(secs * 0.8);
    for (let i = 0; i < 6; i++) {
      ctx.rotate(Math.PI / 3);
      const rg = ctx.createLinearGradient(0, 0, 0, -o.r * 2);
      rg.addColorStop(0, 'rgba(255,255,255,0.5)');
      rg.addColorStop(1, 'rgba(214,168,255,0)');
      ctx.fillStyle = rg;
      ctx.beginPath();
      ctx.moveTo(-3, 0);
      ctx.lineTo(0, -o.r * 2);
      ctx.lineTo(3, 0);
      ctx.fill();
    }
    ctx.restore();
  }

  // lifetime ring
  const frac = clamp(remaining / o.life, 0, 1);
  ctx.lineCap = 'round';
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.lineWidth = 4;
  ctx.beginPath();
  ctx.arc(x, y, (o.r + 7) * scale, 0, Math.PI * 2);
  ctx.stroke();
  ctx.strokeStyle = frac < 0.3 ? '#ff5d6c' : rgba(tier.pal[1], 0.9);
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(x, y, (o.r + 7) * scale, -Math.PI / 2, -Math.PI / 2 + Math.PI * 2 * frac);
  ctx.stroke();

  // the ore itself
  const sp = o.sprite;
  if (sp) {
    const size = sp.size * scale;
    const spin = tier.id === 'starstone' ? Math.sin(secs * 2) * 0.12 : 0;
    ctx.translate(x, y);
    ctx.rotate(spin);
    ctx.drawImage(sp.canvas, -size / 2, -size / 2, size, size);
    ctx.rotate(-spin);
    ctx.translate(-x, -y);
  }
  // twinkle
  const tw = 0.5 + 0.5 * Math.sin(secs * 4 + o.id * 1.7);
  if (tw > 0.6) drawTwinkle(ctx, x + o.r * 0.35, y - o.r * 0.45, 3 + 5 * (tw - 0.6), (tw - 0.6) * 2.5);
  ctx.restore();
}
