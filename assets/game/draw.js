// Canvas drawing of the game's things: gems (cut, star, shard, nugget), rock, a whole ore, the
// pickaxe, a twinkle. Every function draws on the context it is given, with shapes and gradients
// only (no images).

import { clamp, mix } from './math.js';

export function poly(ctx, pts) {
  ctx.beginPath();
  ctx.moveTo(pts[0][0], pts[0][1]);
  for (let i = 1; i < pts.length; i++) ctx.lineTo(pts[i][0], pts[i][1]);
  ctx.closePath();
}

const LIGHT_ANGLE = -Math.PI * 0.75; // light from the top left

export function drawCutGem(ctx, x, y, s, pal) {
  const N = 8;
  const outer = [];
  const inner = [];
  for (let i = 0; i < N; i++) {
    const a = ((i + 0.5) * Math.PI * 2) / N - Math.PI / 2;
    outer.push([x + Math.cos(a) * s, y + Math.sin(a) * s * 0.9]);
    inner.push([x + Math.cos(a) * s * 0.55, y + Math.sin(a) * s * 0.5 - s * 0.05]);
  }
  for (let i = 0; i < N; i++) {
    const j = (i + 1) % N;
    const c = ((i + 1) * Math.PI * 2) / N - Math.PI / 2;
    const light = 0.5 + 0.5 * Math.cos(c - LIGHT_ANGLE);
    ctx.fillStyle = mix(pal[2], pal[1], 0.25 + light * 0.75);
    poly(ctx, [outer[i], outer[j], inner[j], inner[i]]);
    ctx.fill();
  }
  const g = ctx.createLinearGradient(x - s * 0.5, y - s * 0.5, x + s * 0.4, y + s * 0.4);
  g.addColorStop(0, pal[0]);
  g.addColorStop(0.55, pal[1]);
  g.addColorStop(1, mix(pal[1], pal[2], 0.4));
  ctx.fillStyle = g;
  poly(ctx, inner);
  ctx.fill();
  ctx.strokeStyle = 'rgba(255,255,255,0.35)';
  ctx.lineWidth = Math.max(0.6, s * 0.03);
  ctx.beginPath();
  for (let i = 0; i < N; i++) {
    ctx.moveTo(inner[i][0], inner[i][1]);
    ctx.lineTo(outer[i][0], outer[i][1]);
  }
  ctx.stroke();
  poly(ctx, inner);
  ctx.stroke();
  ctx.strokeStyle = mix(pal[2], '#000000', 0.35);
  ctx.lineWidth = Math.max(1, s * 0.06);
  poly(ctx, outer);
  ctx.stroke();
  // glint
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  poly(ctx, [
    [x - s * 0.38, y - s * 0.28],
    [x - s * 0.12, y - s * 0.42],
    [x - s * 0.2, y - s * 0.3],
    [x - s * 0.34, y - s * 0.18],
  ]);
  ctx.fill();
}

export function drawStarGem(ctx, x, y, s, pal, spin) {
  const pts = [];
  for (let i = 0; i < 10; i++) {
    const a = (i * Math.PI) / 5 - Math.PI / 2 + spin;
    const rr = i % 2 === 0 ? s : s * 0.47;
    pts.push([x + Math.cos(a) * rr, y + Math.sin(a) * rr]);
  }
  for (let i = 0; i < 10; i++) {
    const j = (i + 1) % 10;
    const mx = (pts[i][0] + pts[j][0]) / 2 - x;
    const my = (pts[i][1] + pts[j][1]) / 2 - y;
    const light = 0.5 + 0.5 * Math.cos(Math.atan2(my, mx) - LIGHT_ANGLE);
    ctx.fillStyle = mix(pal[2], pal[0], 0.15 + light * 0.8);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(pts[i][0], pts[i][1]);
    ctx.lineTo(pts[j][0], pts[j][1]);
    ctx.closePath();
    ctx.fill();
  }
  ctx.strokeStyle = 'rgba(255,255,255,0.5)';
  ctx.lineWidth = Math.max(0.6, s * 0.03);
  ctx.beginPath();
  for (let i = 0; i < 10; i += 2) {
    ctx.moveTo(x, y);
    ctx.lineTo(pts[i][0], pts[i][1]);
  }
  ctx.stroke();
  ctx.strokeStyle = mix(pal[2], '#000000', 0.3);
  ctx.lineWidth = Math.max(1, s * 0.06);
  poly(ctx, pts);
  ctx.stroke();
  const c = ctx.createRadialGradient(x - s * 0.1, y - s * 0.15, 0, x, y, s * 0.45);
  c.addColorStop(0, 'rgba(255,255,255,0.95)');
  c.addColorStop(1, 'rgba(255,255,255,0)');
  ctx.fillStyle = c;
  ctx.beginPath();
  ctx.arc(x, y, s * 0.45, 0, Math.PI * 2);
  ctx.fill();
}

function drawShard(ctx, x, y, len, w, ang, pal) {
  const dx = Math.cos(ang);
  const dy = Math.sin(ang);
  const nx = -dy;
  const ny = dx;
  const base = [x, y];
  const tip = [x + dx * len, y + dy * len];
  const shL = [x + dx * len * 0.7 + nx * w * 0.5, y + dy * len * 0.7 + ny * w * 0.5];
  const shR = [x + dx * len * 0.7 - nx * w * 0.5, y + dy * len * 0.7 - ny * w * 0.5];
  const bL = [x + nx * w * 0.5, y + ny * w * 0.5];
  const bR = [x - nx * w * 0.5, y - ny * w * 0.5];
  const lightL = 0.5 + 0.5 * Math.cos(Math.atan2(ny, nx) - LIGHT_ANGLE);
  ctx.fillStyle = mix(pal[2], pal[0], 0.2 + 0.8 * lightL);
  poly(ctx, [bL, shL, tip, base]);
  ctx.fill();
  ctx.fillStyle = mix(pal[2], pal[0], 0.2 + 0.8 * (1 - lightL));
  poly(ctx, [base, tip, shR, bR]);
  ctx.fill();
  ctx.strokeStyle = mix(pal[2], '#000000', 0.3);
  ctx.lineWidth = Math.max(1, w * 0.1);
  poly(ctx, [bL, shL, tip, shR, bR]);
  ctx.stroke();
  ctx.strokeStyle = 'rgba(255,255,255,0.55)';
  ctx.lineWidth = Math.max(0.6, w * 0.07);
  ctx.beginPath();
  ctx.moveTo(base[0], base[1]);
  ctx.lineTo(tip[0], tip[1]);
  ctx.stroke();
}

function drawNugget(ctx, x, y, s, pal) {
  const g = ctx.createRadialGradient(x - s * 0.35, y - s * 0.4, s * 0.05, x, y, s * 1.05);
  g.addColorStop(0, pal[0]);
  g.addColorStop(0.45, pal[1]);
  g.addColorStop(1, pal[2]);
  ctx.fillStyle = g;
  ctx.beginPath();
  // a lumpy blob
  const n = 7;
  for (let i = 0; i <= n; i++) {
    const a = (i / n) * Math.PI * 2;
    const rr = s * (0.86 + 0.14 * Math.sin(i * 2.3 + s));
    const px = x + Math.cos(a) * rr;
    const py = y + Math.sin(a) * rr * 0.86;
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = mix(pal[2], '#000000', 0.4);
  ctx.lineWidth = Math.max(1, s * 0.1);
  ctx.stroke();
  ctx.fillStyle = 'rgba(255,255,255,0.75)';
  ctx.beginPath();
  ctx.ellipse(x - s * 0.32, y - s * 0.32, s * 0.22, s * 0.13, -0.6, 0, Math.PI * 2);
  ctx.fill();
}

export function rockShape(rand, r) {
  const pts = [];
  const n = 9;
  for (let i = 0; i < n; i++) {
    const a = (i / n) * Math.PI * 2 + rand() * 0.3;
    const rr = r * (0.8 + rand() * 0.22);
    pts.push([Math.cos(a) * rr, Math.sin(a) * rr * 0.92]);
  }
  return pts;
}

function drawRock(ctx, x, y, r, pts, rand) {
  const moved = pts.map((p) => [x + p[0], y + p[1]]);
  ctx.save();
  ctx.shadowColor = 'rgba(0,0,0,0.55)';
  ctx.shadowBlur = r * 0.35;
  ctx.shadowOffsetY = r * 0.12;
  const g = ctx.createRadialGradient(x - r * 0.35, y - r * 0.45, r * 0.1, x, y, r * 1.1);
  g.addColorStop(0, '#6b6078');
  g.addColorStop(0.5, '#3a3244');
  g.addColorStop(1, '#1b1722');
  ctx.fillStyle = g;
  poly(ctx, moved);
  ctx.fill();
  ctx.restore();
  ctx.strokeStyle = 'rgba(8,6,12,0.9)';
  ctx.lineWidth = 2;
  poly(ctx, moved);
  ctx.stroke();
  // lit upper edge
  ctx.save();
  poly(ctx, moved);
  ctx.clip();
  ctx.strokeStyle = 'rgba(255,255,255,0.16)';
  ctx.lineWidth = 3;
  ctx.beginPath();
  for (let i = 0; i < moved.length; i++) {
    const p = moved[i];
    const q = moved[(i + 1) % moved.length];
    if ((p[1] + q[1]) / 2 < y) {
      ctx.moveTo(p[0] + 1, p[1] + 1.5);
      ctx.lineTo(q[0] + 1, q[1] + 1.5);
    }
  }
  ctx.stroke();
  // cracks and specks
  ctx.strokeStyle = 'rgba(0,0,0,0.45)';
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  for (let k = 0; k < 2; k++) {
    const a = rand() * Math.PI * 2;
    const sx = x + Math.cos(a) * r * 0.9;
    const sy = y + Math.sin(a) * r * 0.9;
    ctx.moveTo(sx, sy);
    ctx.lineTo(sx - Math.cos(a) * r * 0.35 + (rand() - 0.5) * 6, sy - Math.sin(a) * r * 0.35 + (rand() - 0.5) * 6);
  }
  ctx.stroke();
  ctx.fillStyle = 'rgba(255,255,255,0.12)';
  for (let k = 0; k < 6; k++) {
    ctx.beginPath();
    ctx.arc(x + (rand() - 0.5) * r * 1.3, y + (rand() - 0.5) * r * 1.2, 0.8 + rand(), 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}

// The static art of one ore (rock and gems), drawn centred at (x, y).
export function drawOreArt(ctx, tier, x, y, r, rand, rockPts) {
  const pal = tier.pal;
  if (tier.shape === 'star') {
    drawStarGem(ctx, x, y, r * 0.95, pal, 0);
    return;
  }
  drawRock(ctx, x, y, r, rockPts, rand);
  if (tier.shape === 'nugget') {
    const big = tier.id === 'gold' ? 1.3 : 1.15;
    drawNugget(ctx, x - r * 0.3, y + r * 0.14, r * 0.3 * big, pal);
    drawNugget(ctx, x + r * 0.3, y - r * 0.08, r * 0.34 * big, pal);
    drawNugget(ctx, x - r * 0.04, y - r * 0.42, r * 0.22 * big, pal);
    if (tier.id === 'gold') drawNugget(ctx, x + r * 0.1, y + r * 0.44, r * 0.2 * big, pal);
  } else if (tier.shape === 'shard') {
    drawShard(ctx, x - r * 0.2, y + r * 0.35, r * 0.95, r * 0.34, -Math.PI / 2 - 0.45, pal);
    drawShard(ctx, x + r * 0.25, y + r * 0.35, r * 0.85, r * 0.3, -Math.PI / 2 + 0.5, pal);
    drawShard(ctx, x + r * 0.02, y + r * 0.42, r * 1.15, r * 0.38, -Math.PI / 2 + 0.02, pal);
  } else {
    drawCutGem(ctx, x, y, r * (tier.id === 'ruby' ? 0.68 : 0.62), pal);
  }
}

// A pickaxe with its grip at (0, 0) pointing down and head up; tip at (21, -26) in its units.
export const PICK_TIP = [21, -24];
export function drawPickaxe(ctx, x, y, ang, scale, skin) {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(ang);
  ctx.scale(scale, scale);
  const hg = ctx.createLinearGradient(-3, 0, 3, 0);
  hg.addColorStop(0, skin.handle[0]);
  hg.addColorStop(1, skin.handle[1]);
  ctx.fillStyle = hg;
  ctx.strokeStyle = 'rgba(0,0,0,0.65)';
  ctx.lineWidth = 1.4;
  ctx.beginPath();
  ctx.roundRect ? ctx.roundRect(-2.8, -31, 5.6, 40, 2.5) : ctx.rect(-2.8, -31, 5.6, 40);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = 'rgba(0,0,0,0.3)';
  ctx.fillRect(-2.8, 2, 5.6, 2);
  ctx.fillRect(-2.8, 5, 5.6, 1.5);
  const g = ctx.createLinearGradient(0, -44, 0, -20);
  g.addColorStop(0, skin.head[0]);
  g.addColorStop(0.5, skin.head[1]);
  g.addColorStop(1, skin.head[2]);
  ctx.fillStyle = g;
  ctx.beginPath();
  ctx.moveTo(-22, -22);
  ctx.quadraticCurveTo(-12, -40, 0, -38);
  ctx.quadraticCurveTo(12, -40, 22, -22);
  ctx.quadraticCurveTo(10, -32, 0, -30);
  ctx.quadraticCurveTo(-10, -32, -22, -22);
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = 'rgba(0,0,0,0.7)';
  ctx.lineWidth = 1.4;
  ctx.stroke();
  ctx.fillStyle = mix(skin.head[2], '#000000', 0.3);
  ctx.fillRect(-4.5, -39, 9, 9);
  ctx.strokeRect(-4.5, -39, 9, 9);
  ctx.fillStyle = 'rgba(255,255,255,0.55)';
  ctx.beginPath();
  ctx.moveTo(-16, -27);
  ctx.quadraticCurveTo(-8, -36, 0, -35.5);
  ctx.lineTo(0, -34);
  ctx.quadraticCurveTo(-8, -34, -16, -27);
  ctx.fill();
  ctx.restore();
}

export function drawTwinkle(ctx, x, y, s, alpha) {
  ctx.save();
  ctx.globalAlpha = clamp(alpha, 0, 1);
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.moveTo(x, y - s);
  ctx.quadraticCurveTo(x, y, x + s, y);
  ctx.quadraticCurveTo(x, y, x, y + s);
  ctx.quadraticCurveTo(x, y, x - s, y);
  ctx.quadraticCurveTo(x, y, x, y - s);
  ctx.fill();
  ctx.restore();
}
