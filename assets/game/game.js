/*
 * Starmine Rush: a short canvas arcade run. Tap ore before it crumbles, chain combos, beat the clock.
 *
 * Plain browser JavaScript, no build step, no third-party code. Telegram's scripts are optional:
 * everything works when telegram.org cannot be reached.
 *
 * Score model (the server's max_score must be at least the bound computed by scoreBound()):
 *   - Ore spawns on a fixed schedule: the first at 250 ms, then never closer than `minInterval`
 *     (400 ms by default; more if the server's max_score asks for it), none in the last 500 ms.
 *   - Each ore's tier comes from a shuffled bag of 20 (refilled when empty), so every 20 spawns
 *     hold exactly: 1 starstone (100), 1 ruby (50), 2 sapphires (30), 4 gold (20), 5 silver (15),
 *     7 copper (10) = 435 points.
 *   - Points for one ore = floor(value × combo% × multiplier% / 10000), combo% = 100 + 10 per chained
 *     ore, at most 150.
 *   - The page also never lets the total pass max_score.
 */
(() => {
  'use strict';

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  const $ = (id) => document.getElementById(id);
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  const lerp = (a, b, t) => a + (b - a) * t;
  const fmt = (n) => Number(n || 0).toLocaleString('en-US');
  const now = () => performance.now();

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function hexRgb(hex) {
    const h = hex.replace('#', '');
    const v = parseInt(h.length === 3 ? h.split('').map((c) => c + c).join('') : h, 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  function rgba(hex, a) {
    const [r, g, b] = hexRgb(hex);
    return `rgba(${r},${g},${b},${a})`;
  }
  function mix(h1, h2, t) {
    const a = hexRgb(h1);
    const b = hexRgb(h2);
    return `rgb(${Math.round(lerp(a[0], b[0], t))},${Math.round(lerp(a[1], b[1], t))},${Math.round(lerp(a[2], b[2], t))})`;
  }

  // Seeded PRNG (mulberry32) so a run's layout follows from its id.
  function prng(seedText) {
    let h = 1779033703 ^ seedText.length;
    for (let i = 0; i < seedText.length; i++) {
      h = Math.imul(h ^ seedText.charCodeAt(i), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    let a = h >>> 0;
    return () => {
      a |= 0;
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function formatMult(m) {
    const v = Number(m) || 1;
    return '×' + String(Number(v.toFixed(2)));
  }

  function dpr() {
    return clamp(window.devicePixelRatio || 1, 1, 3);
  }

  // ---------------------------------------------------------------------------------------------
  // Session: token from the query string, or Mini App initData

  const QUERY = new URLSearchParams(location.search);
  const TOKEN = QUERY.get('token') || '';
  const HASH = new URLSearchParams(location.hash.replace(/^#/, ''));

  function webApp() {
    const tg = window.Telegram;
    return tg && tg.WebApp ? tg.WebApp : null;
  }

  function miniAppInitData() {
    const wa = webApp();
    if (wa && typeof wa.initData === 'string' && wa.initData) return wa.initData;
    // Telegram puts the same string in the fragment; read it ourselves so the page works even
    // when telegram-web-app.js cannot be loaded.
    return HASH.get('tgWebAppData') || '';
  }

  function hasSession() {
    return Boolean(TOKEN || miniAppInitData());
  }

  // Telegram's Mini App script is loaded only inside a Mini App, asynchronously, never blocking.
  if (HASH.has('tgWebAppData') && !webApp()) {
    const s = document.createElement('script');
    s.src = 'https://telegram.org/js/telegram-web-app.js';
    s.async = true;
    s.onload = setupWebApp;
    s.onerror = () => {};
    document.head.appendChild(s);
  }

  function setupWebApp() {
    const wa = webApp();
    if (!wa) return;
    const calls = [
      () => wa.ready(),
      () => wa.expand(),
      () => wa.setHeaderColor && wa.setHeaderColor('#0c0a12'),
      () => wa.setBackgroundColor && wa.setBackgroundColor('#0c0a12'),
      () => wa.disableVerticalSwipes && wa.disableVerticalSwipes(),
    ];
    for (const c of calls) {
      try {
        c();
      } catch (_) {
        /* older clients */
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // API

  // A failed call: its HTTP status (0: no answer), message, and the server's code when the
  // message is one written for players (a refusal such as sold out or not owned).
  class ApiError extends Error {
    constructor(status, message, code) {
      super(message);
      this.status = status;
      this.code = code || null;
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (TOKEN) headers.Authorization = 'Bearer ' + TOKEN;
    else {
      const initData = miniAppInitData();
      if (initData) headers['X-Telegram-Init-Data'] = initData;
    }
    const init = { method, headers, cache: 'no-store', credentials: 'same-origin' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (_) {
      throw new ApiError(0, 'Cannot reach the mine. Check your connection and try again.');
    }
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
    if (res.status === 401) {
      showExpired();
      throw new ApiError(401, 'This game link has expired — open the game again from the chat.');
    }
    if (!res.ok) {
      const msg = data && typeof data.error === 'string' && data.error ? data.error : `Something went wrong (HTTP ${res.status}).`;
      throw new ApiError(res.status, msg, data && typeof data.code === 'string' ? data.code : null);
    }
    return data;
  }

  // ---------------------------------------------------------------------------------------------
  // Look: skins and ore tiers

  const SKINS = {
    classic: {
      name: 'Classic',
      accent: '#ffb547',
      accent2: '#ff7a3d',
      spark: ['#fff4d6', '#ffc46b', '#ff8a3d'],
      head: ['#f2f5f8', '#9aa6b2', '#4b5563'],
      handle: ['#c08a55', '#6b4423'],
      glow: '#ffb547',
    },
    gold: {
      name: 'Gold',
      accent: '#ffd34d',
      accent2: '#ffa600',
      spark: ['#fffbe0', '#ffe066', '#ffb800'],
      head: ['#fff7c9', '#ffcf3f', '#a86f00'],
      handle: ['#7a3f12', '#2e1606'],
      glow: '#ffd34d',
    },
    crystal: {
      name: 'Crystal',
      accent: '#71e6ff',
      accent2: '#8f7dff',
      spark: ['#ffffff', '#a8f0ff', '#8f9dff'],
      head: ['#effdff', '#7fdcff', '#3a6fd8'],
      handle: ['#dbe5f3', '#6c7a93'],
      glow: '#71e6ff',
    },
    dragon: {
      name: 'Dragon',
      accent: '#ff5468',
      accent2: '#b23cff',
      spark: ['#fff0c2', '#ff8c3a', '#ff2d55'],
      head: ['#7a2636', '#2a0d14', '#0d0407'],
      handle: ['#4a1420', '#14050a'],
      glow: '#ff3b3b',
    },
  };
  const skinOf = (id) => SKINS[id] || SKINS.classic;

  const TIERS = {
    copper: { id: 'copper', name: 'Copper', value: 10, r: 30, life: 2700, shape: 'nugget', pal: ['#ffd0a3', '#e07b3c', '#7a3412'] },
    silver: { id: 'silver', name: 'Silver', value: 15, r: 30, life: 2600, shape: 'shard', pal: ['#ffffff', '#bcc7d4', '#56606f'] },
    gold: { id: 'gold', name: 'Gold', value: 20, r: 29, life: 2400, shape: 'nugget', pal: ['#fff6b8', '#ffc72c', '#9a6100'] },
    sapphire: { id: 'sapphire', name: 'Sapphire', value: 30, r: 28, life: 2200, shape: 'cut', pal: ['#d4efff', '#3b8cff', '#0c2477'] },
    ruby: { id: 'ruby', name: 'Ruby', value: 50, r: 27, life: 2000, shape: 'cut', pal: ['#ffd6de', '#ff2e55', '#6e0420'] },
    starstone: { id: 'starstone', name: 'Starstone', value: 100, r: 28, life: 1800, shape: 'star', pal: ['#ffffff', '#d6a8ff', '#5b22c9'] },
  };

  // One bag of 20 spawns; shuffled per bag. Sum of values = 435.
  const BAG = [
    'starstone', 'ruby', 'sapphire', 'sapphire',
    'gold', 'gold', 'gold', 'gold',
    'silver', 'silver', 'silver', 'silver', 'silver',
    'copper', 'copper', 'copper', 'copper', 'copper', 'copper', 'copper',
  ];
  const BAG_VALUES_DESC = BAG.map((id) => TIERS[id].value).sort((a, b) => b - a);
  const BAG_SUM = BAG_VALUES_DESC.reduce((a, b) => a + b, 0);

  const FIRST_SPAWN_MS = 250;
  const LAST_SPAWN_GAP_MS = 500;
  const BASE_MIN_INTERVAL_MS = 400;
  const COMBO_WINDOW_MS = 1500;
  const COMBO_STEP_PCT = 10;
  const COMBO_MAX_PCT = 150;
  const MAX_ORES = 7;
  const COUNTDOWN_STEP_MS = 700;
  const lowTimeMs = (run) => Math.min(5000, run.durationMs * 0.3);

  // Spawn slots in a run of `durationMs` when no two spawns are closer than `interval`.
  function spawnSlots(durationMs, interval) {
    const last = durationMs - LAST_SPAWN_GAP_MS;
    if (last < FIRST_SPAWN_MS) return 0;
    return Math.floor((last - FIRST_SPAWN_MS) / interval) + 1;
  }
  // Highest possible sum of base values over n spawns drawn from fresh bags.
  function baseBound(n) {
    let s = Math.floor(n / BAG.length) * BAG_SUM;
    for (let i = 0; i < n % BAG.length; i++) s += BAG_VALUES_DESC[i];
    return s;
  }
  // Best possible score of a run, with every ore mined at the top combo.
  function scoreBound(durationMs, interval, multPct) {
    return Math.floor((baseBound(spawnSlots(durationMs, interval)) * COMBO_MAX_PCT * multPct) / 10000);
  }

  // ---------------------------------------------------------------------------------------------
  // Drawing: gems, rock, pickaxe (all canvas shapes and gradients)

  function poly(ctx, pts) {
    ctx.beginPath();
    ctx.moveTo(pts[0][0], pts[0][1]);
    for (let i = 1; i < pts.length; i++) ctx.lineTo(pts[i][0], pts[i][1]);
    ctx.closePath();
  }

  const LIGHT_ANGLE = -Math.PI * 0.75; // light from the top left

  function drawCutGem(ctx, x, y, s, pal) {
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

  function drawStarGem(ctx, x, y, s, pal, spin) {
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

  function rockShape(rand, r) {
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
  function drawOreArt(ctx, tier, x, y, r, rand, rockPts) {
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
  const PICK_TIP = [21, -24];
  function drawPickaxe(ctx, x, y, ang, scale, skin) {
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

  function rotate(p, a) {
    return [p[0] * Math.cos(a) - p[1] * Math.sin(a), p[0] * Math.sin(a) + p[1] * Math.cos(a)];
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
  function drawItemArt(canvas, item, skinId) {
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

  // ---------------------------------------------------------------------------------------------
  // Backdrop (the cave wall behind every screen) and the home screen's hero gem

  const backdrop = $('backdrop');

  function paintCaveWall(ctx, w, h, seed, accent, strong) {
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
  function paintBackdrop() {
    const w = window.innerWidth;
    const h = window.innerHeight;
    const ratio = dpr();
    const key = `${w}x${h}@${ratio}:${currentSkin}`;
    if (key === backdropKey) return;
    backdropKey = key;
    backdrop.width = Math.round(w * ratio);
    backdrop.height = Math.round(h * ratio);
    const ctx = backdrop.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    paintCaveWall(ctx, w, h, 'backdrop', skinOf(currentSkin).accent, false);
  }

  const heroCanvas = $('hero-gem');
  let heroRaf = 0;
  function heroFrame(ts) {
    heroRaf = 0;
    if (S.screen !== 'home') return;
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
    const skin = skinOf(currentSkin);
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

  function drawTwinkle(ctx, x, y, s, alpha) {
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

  // ---------------------------------------------------------------------------------------------
  // App state and screens

  const S = {
    screen: 'loading',
    me: null,
    shop: null,
    top: null,
    busy: false,
  };
  let currentSkin = 'classic';

  function setSkin(id) {
    const skin = SKINS[id] ? id : 'classic';
    currentSkin = skin;
    document.body.className = `skin-${skin}`;
    $('skin-name').textContent = SKINS[skin].name + ' skin';
    for (const c of document.querySelectorAll('canvas.pick-ico')) drawButtonPick(c, SKINS[skin]);
    applyCursor();
    paintBackdrop();
  }

  function drawButtonPick(canvas, skin) {
    const size = 34;
    const ratio = dpr();
    canvas.width = Math.round(size * ratio);
    canvas.height = Math.round(size * ratio);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, size, size);
    drawPickaxe(ctx, 8, 29, 0.75, 0.62, skin);
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
      drawPickaxe(ctx, hot[0] - tip[0] * scale, hot[1] - tip[1] * scale, a, scale, skinOf(currentSkin));
      $('board').style.cursor = `url(${c.toDataURL('image/png')}) ${hot[0]} ${hot[1]}, crosshair`;
    } catch (_) {
      /* a plain cursor is fine */
    }
  }

  const SCREENS = ['loading', 'expired', 'home', 'playing', 'results', 'shop'];
  const SCREEN_EL = {
    loading: 'screen-loading',
    expired: 'screen-expired',
    home: 'screen-home',
    playing: 'screen-play',
    results: 'screen-results',
    shop: 'screen-shop',
  };

  function show(name) {
    if (S.screen === 'expired' && name !== 'expired') return;
    const leavingShop = S.screen === 'shop' && name !== 'shop';
    S.screen = name;
    for (const s of SCREENS) $(SCREEN_EL[s]).classList.toggle('active', s === name);
    if (leavingShop) stopOrder();
    if (name === 'home' && !heroRaf) heroRaf = requestAnimationFrame(heroFrame);
    if (name !== 'playing') stopLoop();
    window.scrollTo(0, 0);
  }

  function showExpired() {
    stopOrder();
    if (G) G.phase = 'over';
    S.screen = 'loading';
    show('expired');
  }

  // One message at a time: a new one replaces whichever shows.
  let toastTimer = 0;
  function showError(msg) {
    $('toast-ok').hidden = true;
    const t = $('toast');
    t.textContent = msg;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      t.hidden = true;
    }, 6000);
  }
  let noticeTimer = 0;
  function showNotice(msg) {
    $('toast').hidden = true;
    const t = $('toast-ok');
    t.textContent = msg;
    t.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      t.hidden = true;
    }, 3500);
  }
  $('toast').addEventListener('click', () => ($('toast').hidden = true));
  $('toast-ok').addEventListener('click', () => ($('toast-ok').hidden = true));

  // ---------------------------------------------------------------------------------------------
  // Home

  function shopItem(id) {
    return S.shop && Array.isArray(S.shop.items) ? S.shop.items.find((i) => i.id === id) : null;
  }

  function renderHome() {
    const me = S.me;
    if (!me) return;
    const name = (me.user && me.user.name) || 'Miner';
    $('player-name').textContent = name;
    $('avatar').textContent = Array.from(name.trim())[0] ? Array.from(name.trim())[0].toUpperCase() : '?';
    $('gems').textContent = fmt(me.gems);
    $('shop-gems').textContent = fmt(me.gems);
    $('energy').textContent = fmt(me.energy);
    $('energy-max').textContent = me.energy_max != null ? `/${fmt(me.energy_max)}` : '';
    $('best-score').textContent = fmt(me.best_score);
    const run = me.run || {};
    const secs = Number(run.seconds) || 0;
    $('run-seconds').textContent = secs ? `${Number(secs.toFixed(1))} s` : '—';
    const mult = Number(run.score_multiplier) || 1;
    $('run-mult').textContent = formatMult(mult);
    $('run-mult').classList.toggle('boosted', mult > 1);
    setSkin(run.skin || 'classic');
    // Owners of more than one skin switch between them with the pill.
    const skins = Array.isArray(me.skins) ? me.skins : ['classic'];
    const pill = $('skin-pill');
    pill.disabled = skins.length < 2;
    pill.classList.toggle('choosable', skins.length > 1);
    pill.setAttribute('aria-label', skins.length > 1 ? 'Change your skin' : 'Your skin');

    renderGear();
    renderAllowance();
    renderUpgrades();
  }

  // ---------------------------------------------------------------------------------------------
  // Gear: what the player holds, one section per kind. A section is { kind, title, rows(me) }
  // whose rows are <li> elements; a new kind of item adds an entry here.

  const GEAR_SECTIONS = [
    { kind: 'boost', title: 'Boosts', rows: boostRows },
    { kind: 'permanent', title: 'Tools', rows: (me) => heldRows(me, 'permanent') },
    { kind: 'consumable', title: 'Supplies', rows: (me) => heldRows(me, 'consumable') },
    // Anything of a kind the page has no section for yet (or no longer sold) still shows.
    { kind: 'other', title: 'Other', rows: (me) => heldRows(me, null) },
  ];
  const GEAR_KINDS = GEAR_SECTIONS.map((section) => section.kind);

  function heldItems(me, kind) {
    const inv = Array.isArray(me.inventory) ? me.inventory : [];
    const kindOf = (it) => it.kind || (shopItem(it.id) || {}).kind;
    const other = (it) => !GEAR_KINDS.includes(kindOf(it));
    return inv.filter((it) => it && Number(it.qty) > 0 && (kind === null ? other(it) : kindOf(it) === kind));
  }

  function gearRow(item, testid) {
    const meta = shopItem(item.id) || {};
    const li = el('li');
    li.dataset.testid = testid;
    li.setAttribute('data-testid', testid);
    li.dataset.itemId = item.id;
    const art = el('canvas', 'g-art');
    art.style.width = '34px';
    art.style.height = '34px';
    drawItemArt(art, { ...meta, ...item }, currentSkin);
    const main = el('div', 'g-main');
    main.appendChild(el('div', 'g-name', item.name || meta.name || item.id));
    const note = el('div', 'g-effect', meta.effect || meta.description || '');
    main.appendChild(note);
    li.append(art, main);
    return { li, main, note };
  }

  function actionButton(label, testid, onClick) {
    const btn = el('button', 'btn g-action', label);
    btn.type = 'button';
    btn.setAttribute('data-testid', testid);
    btn.addEventListener('click', () => onClick(btn));
    return btn;
  }

  // Running boosts with their time left, then held ones with a Start button.
  function boostRows(me) {
    const rows = [];
    const running = Array.isArray(me.boosts) ? me.boosts : [];
    for (const b of running) {
      const until = boostEnd(b);
      if (!(until > Date.now())) continue;
      const { li, note } = gearRow(b, `boost-running-${b.id}`);
      li.classList.add('running');
      note.textContent = '';
      const effect = boostEffect(b.id);
      if (effect) note.append(document.createTextNode(`${effect} · `));
      const left = el('span', 'time-left', clockText(until - Date.now()));
      left.dataset.until = String(until);
      left.setAttribute('data-testid', `time-left-${b.id}`);
      note.append(left, document.createTextNode(' left'));
      li.appendChild(el('div', 'g-badge', 'Running'));
      rows.push(li);
    }
    for (const it of heldItems(me, 'boost')) {
      const { li, note } = gearRow(it, `boost-${it.id}`);
      const seconds = Number(it.duration_seconds) || Number((shopItem(it.id) || {}).duration_seconds) || 0;
      const runs = seconds ? `runs ${durationText(seconds)} once started` : 'starts when you tap Start';
      const isRunning = running.some((b) => b.id === it.id && boostEnd(b) > Date.now());
      const effect = boostEffect(it.id);
      note.textContent = (effect ? `${effect} · ` : '') + (isRunning ? `Start adds ${durationText(seconds)} more` : runs);
      if (Number(it.qty) > 1) li.appendChild(el('div', 'g-qty', `×${fmt(it.qty)}`));
      li.appendChild(actionButton('Start', `start-${it.id}`, (btn) => useItem(it, btn)));
      rows.push(li);
    }
    return rows;
  }

  // What a boost does, without the shop's "for 30m" (the row says how long instead).
  function boostEffect(id) {
    const meta = shopItem(id);
    return meta && meta.effect ? meta.effect.replace(/,? ?for [^,]+$/, '') : '';
  }

  function heldRows(me, kind) {
    return heldItems(me, kind).map((it) => {
      const { li } = gearRow(it, `held-${it.id}`);
      if (Number(it.qty) > 1) li.appendChild(el('div', 'g-qty', `×${fmt(it.qty)}`));
      if (it.usable) li.appendChild(actionButton('Use', `use-${it.id}`, (btn) => useItem(it, btn)));
      return li;
    });
  }

  function renderGear() {
    const me = S.me;
    const box = $('gear-list');
    box.textContent = '';
    let any = false;
    for (const section of GEAR_SECTIONS) {
      const rows = section.rows(me);
      if (!rows.length) continue;
      any = true;
      const part = el('section', 'gear-section');
      part.dataset.kind = section.kind;
      part.setAttribute('data-testid', `gear-${section.kind}`);
      const list = el('ul', 'gear');
      list.append(...rows);
      part.append(el('h3', 'gear-title', section.title), list);
      box.appendChild(part);
    }
    if (!any) box.appendChild(el('p', 'gear-empty', 'No gear yet — the shop has pickaxes, time and more.'));
  }

  // When a running boost ends, by the server's count of seconds left when /api/me answered.
  function boostEnd(b) {
    if (b.ends_at_local) return b.ends_at_local;
    const secs = Number(b.seconds_left);
    b.ends_at_local = Number.isFinite(secs) ? Date.now() + secs * 1000 : Date.parse(b.expires_at);
    return b.ends_at_local;
  }

  // 29:58, or 1:02:03 for an hour or more.
  function clockText(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, '0');
    return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
  }

  // 30 minutes, 1 hour, 10 seconds, 1 min 30 s.
  function durationText(seconds) {
    const s = Math.round(Number(seconds) || 0);
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    if (s >= 3600 && s % 3600 === 0) return plural(s / 3600, 'hour');
    if (s >= 60 && s % 60 === 0) return plural(s / 60, 'minute');
    if (s < 60) return plural(s, 'second');
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }

  // Running boosts count down; one that ran out redraws home (and the run it gives).
  let endedRefresh = null;
  setInterval(() => {
    let ended = false;
    for (const left of document.querySelectorAll('.time-left[data-until]')) {
      const ms = Number(left.dataset.until) - Date.now();
      if (ms <= 0) ended = true;
      else left.textContent = clockText(ms);
    }
    if (ended && S.screen === 'home' && !endedRefresh) {
      endedRefresh = refreshHome().finally(() => (endedRefresh = null));
    }
  }, 1000);

  // Start a boost (or use a refill) through POST /api/use: the server's own use command.
  async function useItem(item, btn) {
    if (S.busy) return;
    S.busy = true;
    btn.disabled = true;
    const name = item.name || item.id;
    try {
      const res = await api('POST', '/api/use', { item: item.id });
      if (S.me && res.run) S.me.run = res.run;
      if (res.boost) {
        const mult = res.run && Number(res.run.score_multiplier) > 1 ? ` Runs you start now score ${formatMult(res.run.score_multiplier)}.` : '';
        showNotice(`${name} is running — ${durationText(res.boost.seconds_left)} left.${mult}`);
      } else {
        showNotice(`${name} used — energy ${fmt(res.energy)}/${fmt(res.energy_max)}.`);
      }
      await loadMe().catch(() => {});
    } catch (e) {
      if (e.status !== 401) showError(friendlyError(e));
    } finally {
      S.busy = false;
      renderHome();
    }
  }

  // One human sentence for a failed call: the server's own when it wrote one for players (a
  // refusal with a code), else what happened in plain words — never a raw API error string.
  function friendlyError(e) {
    if (e && e.code) return e.message;
    const status = e ? e.status : 0;
    if (status === 0) return 'Cannot reach the mine. Check your connection and try again.';
    if (status === 429) return "You're tapping very fast — wait a moment and try again.";
    if (status === 503) return 'The mine is busy right now — try again in a moment.';
    return 'Something went wrong — please try again.';
  }

  // ---------------------------------------------------------------------------------------------
  // Upgrades: gems buy the levels of a track one after another, and looks (skins). A button names
  // the level it buys, so the server never sells two for one tap; while a purchase is in flight
  // every upgrade button is off, and its outcome is one message.

  let upgradeBusy = null; // { id, level } while POST /api/upgrades is in flight

  function svgIcon(symbol) {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'ico');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
    use.setAttribute('href', `#${symbol}`);
    svg.appendChild(use);
    return svg;
  }

  // "768 💎" for a label; the glyph is drawn by CSS (like the Star) and stays for copy and readers.
  function gemAmount(n) {
    const span = el('span', 'gem-amount');
    span.append(document.createTextNode(`${fmt(n)} `), el('span', 'gem', '💎'));
    return span;
  }

  // Today's arcade allowance (UTC days), under the Play button.
  function renderAllowance() {
    const box = $('arcade-left');
    const arcade = S.me && S.me.arcade;
    const perDay = arcade ? Number(arcade.gems_per_day) || 0 : 0;
    if (!perDay) {
      box.hidden = true;
      return;
    }
    const left = clamp(Number(arcade.gems_left_today) || 0, 0, perDay);
    box.textContent = '';
    box.append(svgIcon('i-gem'), el('span', '', `Arcade gems left today: ${fmt(left)} of ${fmt(perDay)}`));
    if (!left) box.append(el('span', 'allowance-more', ` More in ${untilNextUtcDay()} · runs still count for the leaderboard`));
    box.classList.toggle('spent', !left);
    box.hidden = false;
  }

  // How long until the allowance's next (UTC) day: "5 h", "40 min".
  function untilNextUtcDay() {
    const d = new Date();
    const ms = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - d.getTime();
    const minutes = Math.max(1, Math.ceil(ms / 60000));
    return minutes >= 60 ? `${Math.round(minutes / 60)} h` : `${minutes} min`;
  }

  function renderUpgrades() {
    const me = S.me;
    const up = me && me.upgrades;
    const tracks = up && Array.isArray(up.tracks) ? up.tracks : [];
    const looks = up && Array.isArray(up.cosmetics) ? up.cosmetics : [];
    const card = $('upgrades-card');
    card.hidden = !tracks.length && !looks.length;
    if (card.hidden) return;
    const have = $('up-gems');
    have.textContent = '';
    have.append(document.createTextNode('you have '), gemAmount(me.gems));
    $('track-list').replaceChildren(...tracks.map(trackRow));
    $('cosmetic-list').replaceChildren(...looks.map(cosmeticRow));
    $('track-list').hidden = !tracks.length;
    $('cosmetic-title').hidden = !looks.length;
    $('cosmetic-list').hidden = !looks.length;
  }

  // How many more gems `cost` needs, by the player's count.
  function gemsShort(cost) {
    return Math.max(0, (Number(cost) || 0) - (Number(S.me && S.me.gems) || 0));
  }

  // One row's frame: art, a main column (the name, with `aside` at its right), and later lines.
  function upgradeRow(testid, art, name, aside) {
    const li = el('li', 'up');
    li.setAttribute('data-testid', testid);
    art.className = 'g-art';
    art.style.width = '34px';
    art.style.height = '34px';
    const main = el('div', 'up-main');
    const head = el('div', 'up-head');
    head.appendChild(el('span', 'up-name', name));
    if (aside) head.appendChild(aside);
    main.appendChild(head);
    li.append(art, main);
    return { li, main };
  }

  // The action line: the button, and beside it why it is off or what it gives.
  function upgradeAction(main, btn, side, sideClass, testid) {
    const act = el('div', 'up-act');
    act.appendChild(btn);
    if (side) {
      const note = el('span', `up-side ${sideClass}`);
      note.append(...side);
      note.setAttribute('data-testid', testid);
      act.appendChild(note);
    }
    main.appendChild(act);
  }

  function upgradeButton(testid) {
    const btn = el('button', 'btn up-buy');
    btn.type = 'button';
    btn.setAttribute('data-testid', testid);
    if (upgradeBusy) btn.disabled = true;
    return btn;
  }

  // One inline label, so the button (a flex box) keeps its spaces.
  function buttonLabel(text, gems) {
    const label = el('span', 'up-label', text);
    label.appendChild(gemAmount(gems));
    return label;
  }

  // "Need 300 more 💎" (plain words should the two counts ever disagree).
  function needMore(cost) {
    const short = gemsShort(cost);
    if (!short) return ['Not enough gems yet'];
    const amount = el('span', 'gem-amount', `${fmt(short)} more `);
    amount.appendChild(el('span', 'gem', '💎'));
    return ['Need ', amount];
  }

  function trackRow(t) {
    const level = Number(t.level) || 0;
    const max = Number(t.max_level) || 0;
    const lv = el('span', 'up-level', `${fmt(level)}/${fmt(max)}`);
    lv.setAttribute('data-testid', `level-${t.id}`);
    lv.setAttribute('aria-label', `Level ${level} of ${max}`);
    const art = el('canvas');
    drawTrackArt(art, t);
    const { li, main } = upgradeRow(`track-${t.id}`, art, t.name || t.id, lv);
    li.dataset.level = String(level);
    main.appendChild(levelMeter(level, max));
    const now = el('div', 'up-now' + (t.now ? '' : ' none'), t.now ? `Now ${t.now}` : 'Not started');
    now.setAttribute('data-testid', `now-${t.id}`);
    main.appendChild(now);
    const btn = upgradeButton(`up-${t.id}`);
    const next = t.next;
    if (!next) {
      li.classList.add('maxed');
      btn.disabled = true;
      btn.textContent = 'Maxed';
      upgradeAction(main, btn, [`All ${fmt(max)} levels bought`], 'done', `why-up-${t.id}`);
      return li;
    }
    const busy = upgradeBusy && upgradeBusy.id === t.id;
    if (busy) btn.textContent = 'Buying…';
    else btn.appendChild(buttonLabel(`Level ${fmt(next.level)} · `, next.cost));
    const affordable = next.affordable !== false && gemsShort(next.cost) === 0;
    if (!affordable) {
      btn.disabled = true;
      upgradeAction(main, btn, needMore(next.cost), 'need', `why-up-${t.id}`);
      return li;
    }
    const target = { kind: 'track', id: t.id, name: t.name || t.id, level: Number(next.level) };
    btn.addEventListener('click', () => buyUpgrade(target, btn));
    upgradeAction(main, btn, next.effect ? [`→ ${next.effect}`] : null, 'gives', `next-${t.id}`);
    return li;
  }

  // Segments for a short track, one bar for a long one.
  function levelMeter(level, max) {
    const meter = el('div', 'meter');
    meter.setAttribute('role', 'meter');
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuemax', String(max));
    meter.setAttribute('aria-valuenow', String(level));
    if (max > 0 && max <= 12) {
      for (let i = 0; i < max; i++) meter.appendChild(el('i', i < level ? 'on' : ''));
    } else {
      const fill = el('i', 'on fill');
      fill.style.width = `${max > 0 ? (100 * Math.min(level, max)) / max : 0}%`;
      meter.appendChild(fill);
    }
    return meter;
  }

  function cosmeticRow(c) {
    const owned = Boolean(c.owned);
    const art = el('canvas');
    drawSkinArt(art, c.skin);
    const { li, main } = upgradeRow(`cosmetic-${c.id}`, art, c.name || c.id, null);
    li.classList.add('look');
    if (c.description) main.appendChild(el('div', 'up-desc', c.description));
    const btn = upgradeButton(`up-${c.id}`);
    if (owned) {
      li.classList.add('owned');
      btn.disabled = true;
      btn.textContent = 'Owned';
      const wearing = currentSkin === c.skin;
      upgradeAction(main, btn, [wearing ? "You're wearing it" : 'Wear it with the skin pill ⇄'], 'done', `why-up-${c.id}`);
      return li;
    }
    if (upgradeBusy && upgradeBusy.id === c.id) btn.textContent = 'Buying…';
    else btn.appendChild(buttonLabel('Buy · ', c.price_gems));
    if (c.affordable === false || gemsShort(c.price_gems) > 0) {
      btn.disabled = true;
      upgradeAction(main, btn, needMore(c.price_gems), 'need', `why-up-${c.id}`);
      return li;
    }
    btn.addEventListener('click', () => buyUpgrade({ kind: 'cosmetic', id: c.id, name: c.name || c.id }, btn));
    upgradeAction(main, btn, null);
    return li;
  }

  // A track's picture by what it does.
  function drawTrackArt(canvas, track) {
    const looks = {
      yield: { id: 'pickaxe', name: 'pickaxe' },
      luck: { id: 'lantern', name: 'lantern' },
      energy_cap: { id: 'battery', effect: 'energy' },
      regen: { id: 'generator', effect: 'energy' },
      run_seconds: { id: 'steady', effect: 'seconds' },
    };
    drawItemArt(canvas, looks[track.effect] || { id: 'gem', name: 'gem' }, currentSkin);
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

  function drawSkinArt(canvas, skin) {
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

  // Buys the level (or look) the tapped button names; one message for the outcome.
  async function buyUpgrade(target, btn) {
    if (upgradeBusy) return;
    upgradeBusy = { id: target.id, level: target.level || 1 };
    for (const b of document.querySelectorAll('.up-buy')) b.disabled = true;
    btn.textContent = 'Buying…';
    const body = target.kind === 'track' ? { id: target.id, level: target.level } : { id: target.id };
    let message = null;
    try {
      const res = await api('POST', '/api/upgrades', body);
      if (S.me) Object.assign(S.me, { gems: res.gems, energy: res.energy, energy_max: res.energy_max, upgrades: res.upgrades });
      message = boughtMessage(target, res);
      // The run it gives and the skins it adds come with /api/me.
      await loadMe().catch(() => {});
    } catch (e) {
      if (e.status === 401) return;
      if ([404, 409, 422].includes(e.status)) await loadMe().catch(() => {});
      message = refusedMessage(target, e);
    } finally {
      upgradeBusy = null;
      renderHome();
    }
    if (message.ok) showNotice(message.text);
    else showError(message.text);
  }

  function trackIn(upgrades, id) {
    const tracks = upgrades && Array.isArray(upgrades.tracks) ? upgrades.tracks : [];
    return tracks.find((t) => t.id === id) || null;
  }

  function boughtMessage(target, res) {
    const left = `${fmt(res.gems)} 💎 left.`;
    if (target.kind !== 'track') return { ok: true, text: `${target.name} is yours — tap the skin pill to wear it. ${left}` };
    const track = trackIn(res.upgrades, target.id);
    const now = track && track.now ? `: ${track.now}` : '';
    return { ok: true, text: `${target.name} is now level ${fmt(target.level)}${now}. ${left}` };
  }

  // The server's refusal in the player's words, judged against the player as reloaded.
  function refusedMessage(target, e) {
    const what = target.kind === 'track' ? `${target.name} level ${fmt(target.level)}` : `the ${target.name}`;
    if (e.status === 404) return { ok: false, text: `${target.kind === 'track' ? target.name : 'That look'} isn't offered any more.` };
    if (e.status === 422) {
      const gems = S.me ? ` — you have ${fmt(S.me.gems)} 💎` : '';
      return { ok: false, text: `Not enough gems for ${what}${gems}. Dig or play to earn more.` };
    }
    if (e.status !== 409) return { ok: false, text: friendlyError(e) };
    if (target.kind !== 'track') return { ok: true, text: `You already own ${what}.` };
    const track = trackIn(S.me && S.me.upgrades, target.id);
    const level = track ? Number(track.level) || 0 : 0;
    if (level >= target.level) return { ok: true, text: `You already have ${what}.` };
    if (!track || !track.next) return { ok: false, text: `${target.name} is maxed out.` };
    return { ok: false, text: `${target.name}: level ${fmt(level + 1)} comes first.` };
  }

  function renderTop() {
    const list = $('top-list');
    list.textContent = '';
    const meBox = $('top-me');
    if (!S.top) {
      list.appendChild(el('li', 'empty', 'The leaderboard is resting. Try again soon.'));
      meBox.hidden = true;
      return;
    }
    const rows = Array.isArray(S.top.top) ? S.top.top.slice(0, 10) : [];
    const mine = S.top.me && typeof S.top.me === 'object' ? S.top.me : null;
    for (const row of rows) {
      const li = el('li');
      const rank = Number(row.rank) || 0;
      li.appendChild(el('span', `rank${rank >= 1 && rank <= 3 ? ' r' + rank : ''}`, rank || '·'));
      li.appendChild(el('span', 't-name', row.name || 'Miner'));
      li.appendChild(el('span', 't-score', fmt(row.score)));
      if (mine && Number(mine.rank) === rank) li.classList.add('me');
      list.appendChild(li);
    }
    if (!rows.length) list.appendChild(el('li', 'empty', 'No runs yet — be the first!'));
    if (mine && !rows.some((r) => Number(r.rank) === Number(mine.rank))) {
      meBox.textContent = '';
      meBox.append(el('span', '', `You · #${fmt(mine.rank)}`), el('span', '', fmt(mine.score)));
      meBox.hidden = false;
    } else meBox.hidden = true;
  }

  async function loadMe() {
    S.me = await api('GET', '/api/me');
    return S.me;
  }
  async function loadShop() {
    S.shop = await api('GET', '/api/shop');
    return S.shop;
  }
  async function loadTop() {
    S.top = await api('GET', '/api/top');
    return S.top;
  }

  async function refreshHome() {
    const results = await Promise.allSettled([loadMe(), loadShop(), loadTop()]);
    if (results[1].status === 'rejected') S.shop = S.shop || null;
    if (results[2].status === 'rejected') S.top = null;
    renderHome();
    renderTop();
    if (S.screen === 'shop') renderShop();
    return results;
  }

  // The next of the player's skins; the server answers with the one runs now use.
  async function nextSkin() {
    const me = S.me;
    const skins = me && Array.isArray(me.skins) ? me.skins : [];
    if (skins.length < 2 || S.busy) return;
    const next = skins[(skins.indexOf(currentSkin) + 1) % skins.length];
    const pill = $('skin-pill');
    pill.disabled = true;
    try {
      const chosen = await api('POST', '/api/skin', { skin: next });
      if (me.run) me.run.skin = chosen.skin;
      setSkin(chosen.skin);
      showNotice(`${SKINS[chosen.skin] ? SKINS[chosen.skin].name : chosen.skin} skin on`);
    } catch (e) {
      showError(e.message);
    } finally {
      pill.disabled = skins.length < 2;
    }
  }
  $('skin-pill').addEventListener('click', () => nextSkin());
  $('play-btn').addEventListener('click', () => startRun());
  $('again-btn').addEventListener('click', () => startRun());
  $('home-btn').addEventListener('click', () => {
    show('home');
    refreshHome();
  });
  $('shop-btn').addEventListener('click', () => openShop());
  $('back-btn').addEventListener('click', () => {
    show('home');
    refreshHome();
  });
  $('share-btn').addEventListener('click', () => {
    const proxy = window.TelegramGameProxy;
    if (proxy && typeof proxy.shareScore === 'function') {
      try {
        proxy.shareScore();
      } catch (_) {
        showError('Sharing is not available here.');
      }
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Shop and purchases

  const KIND_LABEL = { permanent: 'Keep forever', bundle: 'Bundle', boost: 'Boost', consumable: 'Consumable', skin: 'Skin' };

  async function openShop() {
    show('shop');
    renderShop();
    try {
      await Promise.all([loadShop(), S.me ? Promise.resolve() : loadMe()]);
      renderShop();
    } catch (e) {
      if (e.status !== 401) showError(friendlyError(e));
    }
  }

  function priceNode(n) {
    const span = el('span', 'price');
    span.append(document.createTextNode(`${fmt(n)} `), el('span', 'star', '⭐'));
    return span;
  }

  function renderShop() {
    $('shop-gems').textContent = fmt(S.me ? S.me.gems : 0);
    const list = $('shop-list');
    list.textContent = '';
    const items = S.shop && Array.isArray(S.shop.items) ? S.shop.items : null;
    if (!items) {
      list.appendChild(el('li', 'muted', 'Loading the shelves…'));
      return;
    }
    if (!items.length) list.appendChild(el('li', 'muted', 'The shop is empty right now.'));
    for (const item of items) list.appendChild(shopCard(item));
  }

  // One item's card: what it is, stock left, and Buy — or, when the server says this player
  // can't buy it now (sold out, limit reached, owned), Buy off with that reason.
  function shopCard(item) {
    const owned = Number(item.owned) || 0;
    const reason = item.can_buy === false && item.unavailable ? item.unavailable : null;
    const li = el('li', 'item' + (reason && reason.code === 'already_owned' ? ' owned' : ''));
    li.dataset.itemId = item.id;
    const art = el('div', 'item-art');
    const cv = el('canvas');
    drawItemArt(cv, item, currentSkin);
    art.appendChild(cv);
    const head = el('div', 'item-head');
    head.appendChild(el('span', 'item-name', item.name || item.id));
    if (item.kind && KIND_LABEL[item.kind]) head.appendChild(el('span', `kind ${item.kind}`, KIND_LABEL[item.kind]));
    if (owned > 0 && item.kind !== 'permanent') head.appendChild(el('span', 'owned-badge', `You have ${fmt(owned)}`));
    if (item.left != null) {
      const left = el('span', 'stock-left' + (Number(item.left) === 0 ? ' none' : ''), Number(item.left) === 0 ? 'None left' : `${fmt(item.left)} left`);
      left.setAttribute('data-testid', `left-${item.id}`);
      head.appendChild(left);
    }
    const desc = el('div', 'item-desc', item.description || '');
    const foot = el('div', 'item-foot');
    if (item.effect) foot.appendChild(el('span', 'effect', item.effect));
    const btn = el('button', 'btn buy');
    btn.type = 'button';
    btn.setAttribute('data-testid', `buy-${item.id}`);
    if (reason) {
      btn.disabled = true;
      btn.textContent = reason.label;
    } else {
      btn.append(el('span', '', 'Buy'), priceNode(item.price_stars));
      btn.addEventListener('click', () => buy(item));
    }
    foot.appendChild(btn);
    li.append(art, head, desc, foot);
    if (reason) {
      const why = el('div', 'item-why', reason.text);
      why.setAttribute('data-testid', `why-${item.id}`);
      li.appendChild(why);
    }
    return li;
  }

  // What happens next with a bought item, in one sentence for the order box.
  function receiptText(item) {
    const name = item.name || item.id;
    if (item.kind === 'boost') {
      const secs = Number(item.duration_seconds) || 0;
      return `${name} is in your inventory — press Start to run it for ${durationText(secs)}.`;
    }
    if (item.kind === 'permanent') return `${name} is yours for good — it's already working.`;
    if (item.kind === 'bundle') return `${name} delivered: ${item.delivers || 'everything in it'}.`;
    if (/^\d+ gems$/.test(item.delivers || '')) return `${item.delivers} added to your stash.`;
    if (/energy/.test(item.effect || '')) return `${name} is in your inventory — press Use when you need energy.`;
    return `${name} is in your inventory.`;
  }

  const ORDER_POLL_MS = 1500;
  const ORDER_POLL_LIMIT_MS = 10 * 60 * 1000;
  let order = null; // { gen, id, link, amount, item, started, timer }
  let orderGen = 0;

  function stopOrder() {
    orderGen++;
    if (order && order.timer) clearTimeout(order.timer);
    order = null;
  }

  function setOrderStatus(status, text) {
    const st = $('order-status');
    st.dataset.status = status;
    st.textContent = '';
    st.append(el('span', 'dot'), el('span', '', text));
  }

  function showPayLink(link, amount) {
    const a = $('pay-link');
    a.textContent = '';
    a.append(document.createTextNode(`Pay ${fmt(amount)} `), el('span', 'star', '⭐'));
    a.href = link;
    a.dataset.link = link;
    a.hidden = false;
  }

  $('pay-link').addEventListener('click', (e) => {
    e.preventDefault();
    const link = $('pay-link').dataset.link;
    if (!link) return;
    const wa = webApp();
    if (wa && typeof wa.openInvoice === 'function') {
      openInvoice(link, orderGen);
      return;
    }
    window.open(link, '_blank');
  });

  $('order-close').addEventListener('click', () => {
    stopOrder();
    $('order').hidden = true;
  });

  function openInvoice(link, gen) {
    const wa = webApp();
    try {
      wa.openInvoice(link, (status) => {
        // UX only: the server decides, from Telegram's successful_payment.
        if (gen !== orderGen || !order) return;
        if (status === 'paid') setOrderStatus('open', 'Payment sent — confirming with Telegram…');
        else if (status === 'cancelled') setOrderStatus('open', 'Payment cancelled — nothing was charged. You can still pay below.');
        else if (status === 'failed') setOrderStatus('open', 'The payment did not go through — nothing was charged. You can try again below.');
      });
    } catch (_) {
      window.open(link, '_blank');
    }
  }

  async function buy(item) {
    stopOrder();
    const gen = orderGen;
    $('order').hidden = false;
    $('order-title').textContent = item.name || item.id;
    $('pay-link').hidden = true;
    setOrderStatus('creating', 'Creating your invoice…');
    let res;
    try {
      res = await api('POST', '/api/buy', { item_id: item.id });
    } catch (e) {
      if (gen !== orderGen) return;
      // One message, in the order box: the server's own sentence for a refusal, plain words
      // otherwise. A refusal means the shop changed (sold out, limit): show it as it is now.
      setOrderStatus(e.code ? 'refused' : 'error', friendlyError(e));
      if (e.code) loadShop().then(renderShop, () => {});
      return;
    }
    if (gen !== orderGen) return;
    order = { gen, id: res.order_id, link: res.invoice_link, amount: res.amount, item, started: Date.now(), timer: 0 };
    setOrderStatus('open', 'Waiting for payment…');
    showPayLink(res.invoice_link, res.amount != null ? res.amount : item.price_stars);
    const wa = webApp();
    if (wa && typeof wa.openInvoice === 'function') openInvoice(res.invoice_link, gen);
    order.timer = setTimeout(() => pollOrder(gen), ORDER_POLL_MS);
  }

  async function pollOrder(gen) {
    if (!order || gen !== orderGen || S.screen !== 'shop') return;
    if (Date.now() - order.started > ORDER_POLL_LIMIT_MS) {
      setOrderStatus('timeout', 'Still no payment. If you paid, your item will show up in a moment.');
      return;
    }
    let res = null;
    try {
      res = await api('GET', `/api/orders/${encodeURIComponent(order.id)}`);
    } catch (e) {
      if (gen !== orderGen) return;
      if (e.status === 401) return;
      if (e.status === 404 || e.status === 403) {
        setOrderStatus('error', 'This order is no longer known — tap Buy to start again.');
        return;
      }
      // a hiccup: keep polling
    }
    if (!order || gen !== orderGen) return;
    const status = res && res.status;
    if (status === 'paid') {
      // The one message of a purchase: in the order box, saying what happens next.
      setOrderStatus('paid', `Purchased! ${receiptText(order.item)}`);
      $('pay-link').hidden = true;
      order = null;
      await Promise.allSettled([loadMe(), loadShop()]);
      renderHome();
      if (S.screen === 'shop') renderShop();
      return;
    }
    if (status === 'expired') {
      setOrderStatus('expired', 'The invoice expired. Tap Buy to try again.');
      $('pay-link').hidden = true;
      return;
    }
    if (status === 'refunded') {
      setOrderStatus('refunded', 'This purchase was refunded.');
      $('pay-link').hidden = true;
      return;
    }
    order.timer = setTimeout(() => pollOrder(gen), ORDER_POLL_MS);
  }

  // ---------------------------------------------------------------------------------------------
  // The run

  const board = $('board');
  const wrap = $('board-wrap');
  const bctx = board.getContext('2d');
  let G = null; // the current run
  let view = { w: 0, h: 0, ratio: 1, bg: null };
  let rafId = 0;
  let fallbackTimer = 0;

  function resizeBoard() {
    const w = Math.max(1, wrap.clientWidth);
    const h = Math.max(1, wrap.clientHeight);
    const ratio = dpr();
    if (w === view.w && h === view.h && ratio === view.ratio && view.bg && view.skin === currentSkin) return;
    view = { w, h, ratio, bg: document.createElement('canvas'), skin: currentSkin };
    board.width = Math.round(w * ratio);
    board.height = Math.round(h * ratio);
    view.bg.width = board.width;
    view.bg.height = board.height;
    const bg = view.bg.getContext('2d');
    bg.setTransform(ratio, 0, 0, ratio, 0, 0);
    paintCaveWall(bg, w, h, 'board', skinOf(currentSkin).accent, true);
    view.dust = [];
    const rand = prng('dust');
    for (let i = 0; i < 34; i++) view.dust.push({ x: rand() * w, y: rand() * h, s: 0.6 + rand() * 1.6, v: 4 + rand() * 10, p: rand() * 6 });
    if (G) {
      for (const o of G.ores) {
        o.x = clamp(o.x, o.r + 4, Math.max(o.r + 4, w - o.r - 4));
        o.y = clamp(o.y, o.r + 4, Math.max(o.r + 4, h - o.r - 4));
      }
    }
  }
  window.addEventListener('resize', () => {
    paintBackdrop();
    if (S.screen === 'playing') resizeBoard();
  });

  function newRun(res) {
    const durationMs = Math.max(1000, Math.round((Number(res.seconds) || 30) * 1000));
    const multPct = Math.max(1, Math.round((Number(res.score_multiplier) || 1) * 100));
    const maxScore = Number.isFinite(Number(res.max_score)) && Number(res.max_score) > 0 ? Math.floor(Number(res.max_score)) : null;
    let minInterval = BASE_MIN_INTERVAL_MS;
    if (maxScore !== null) {
      while (minInterval < durationMs && scoreBound(durationMs, minInterval, multPct) > maxScore) minInterval += 25;
    }
    const runId = String(res.run_id || '');
    return {
      runId,
      seconds: Number(res.seconds) || durationMs / 1000,
      durationMs,
      multPct,
      multiplier: Number(res.score_multiplier) || 1,
      maxScore,
      minInterval,
      skin: SKINS[res.skin] ? res.skin : 'classic',
      rand: prng(runId || String(Date.now())),
      phase: 'countdown',
      startAt: 0, // performance.now() when mining starts
      t: 0,
      score: 0,
      mined: 0,
      combo: 0,
      bestCombo: 0,
      lastMineT: -1e9,
      nextSpawnT: FIRST_SPAWN_MS,
      spawned: 0,
      bag: [],
      ores: [],
      particles: [],
      floaters: [],
      swings: [],
      shake: 0,
      lastFrame: 0,
      finish: null,
    };
  }

  async function startRun() {
    if (S.busy) return;
    S.busy = true;
    $('play-btn').disabled = true;
    $('again-btn').disabled = true;
    let res;
    try {
      res = await api('POST', '/api/runs', {});
    } catch (e) {
      S.busy = false;
      $('play-btn').disabled = false;
      $('again-btn').disabled = false;
      if (e.status !== 401) showError(e.message);
      return;
    }
    G = newRun(res);
    setSkin(G.skin);
    $('hud-score').textContent = '0';
    $('hud-mult').textContent = formatMult(G.multiplier);
    $('hud-mult').classList.toggle('plain', G.multPct <= 100);
    $('hud-combo').textContent = '';
    $('timer-fill').style.transform = 'scaleX(1)';
    $('timer-fill').classList.remove('low');
    document.querySelector('.hud-time').classList.remove('low');
    $('hud-time').textContent = String(Math.ceil(G.durationMs / 1000));
    $('banner').classList.remove('show');
    show('playing');
    resizeBoard();
    startLoop();
    runCountdown(G);
    S.busy = false;
    $('play-btn').disabled = false;
    $('again-btn').disabled = false;
  }

  function runCountdown(run) {
    const cd = $('countdown');
    const steps = ['3', '2', '1'];
    const begin = now();
    steps.forEach((label, i) => {
      setTimeout(() => {
        if (G !== run || run.phase !== 'countdown') return;
        cd.textContent = '';
        cd.appendChild(el('span', '', label));
      }, i * COUNTDOWN_STEP_MS);
    });
    const goAt = steps.length * COUNTDOWN_STEP_MS;
    setTimeout(() => {
      if (G !== run || run.phase !== 'countdown') return;
      run.phase = 'playing';
      run.startAt = begin + goAt;
      cd.textContent = '';
      cd.appendChild(el('span', 'go', 'Mine!'));
      setTimeout(() => {
        if (cd.firstChild && cd.firstChild.classList.contains('go')) cd.textContent = '';
      }, 650);
    }, goAt);
  }

  function drawFromBag(run) {
    if (!run.bag.length) {
      run.bag = BAG.slice();
      for (let i = run.bag.length - 1; i > 0; i--) {
        const j = Math.floor(run.rand() * (i + 1));
        [run.bag[i], run.bag[j]] = [run.bag[j], run.bag[i]];
      }
      // keep the very first ore of a run friendly
      if (run.spawned === 0 && run.bag[0] === 'starstone') [run.bag[0], run.bag[1]] = [run.bag[1], run.bag[0]];
    }
    return TIERS[run.bag.shift()];
  }

  function spawnInterval(run, t) {
    // Starts relaxed and tightens to minInterval by three quarters of the run.
    const ease = clamp(1 - t / (run.durationMs * 0.75), 0, 1);
    return Math.round(run.minInterval * (1 + 0.6 * ease));
  }

  function spawn(run, t) {
    const alive = run.ores.filter((o) => !o.mined && t < o.born + o.life);
    if (alive.length >= MAX_ORES) return;
    const tier = drawFromBag(run);
    const scale = clamp(Math.min(view.w, view.h) / 360, 0.8, 1.25);
    const r = Math.round(tier.r * scale);
    const pad = 6;
    let pos = null;
    for (let attempt = 0; attempt < 24 && !pos; attempt++) {
      const x = r + pad + run.rand() * Math.max(1, view.w - 2 * (r + pad));
      const y = r + pad + 14 + run.rand() * Math.max(1, view.h - 2 * (r + pad) - 14);
      if (alive.every((o) => Math.hypot(o.x - x, o.y - y) > o.r + r + 12)) pos = [x, y];
    }
    if (!pos) return;
    const seed = prng(`${run.runId}:${run.spawned}`);
    const ore = {
      id: run.spawned,
      tier,
      value: tier.value,
      x: pos[0],
      y: pos[1],
      r,
      born: t,
      life: tier.life,
      mined: false,
      rock: rockShape(seed, r),
      seed: run.spawned * 97,
      sprite: null,
    };
    ore.sprite = makeSprite(ore);
    run.ores.push(ore);
    run.spawned++;
  }

  function makeSprite(ore) {
    const ratio = view.ratio;
    const pad = 10;
    const size = (ore.r + pad) * 2;
    const c = document.createElement('canvas');
    c.width = Math.ceil(size * ratio);
    c.height = Math.ceil(size * ratio);
    const ctx = c.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawOreArt(ctx, ore.tier, size / 2, size / 2, ore.r, prng(`rock${ore.id}`), ore.rock);
    return { canvas: c, size };
  }

  // Advances the run's logic to time `ts` (performance.now()).
  function tick(ts) {
    const run = G;
    if (!run || run.phase !== 'playing') return;
    const t = ts - run.startAt;
    run.t = t;
    const lastSpawn = run.durationMs - LAST_SPAWN_GAP_MS;
    while (run.nextSpawnT <= t && run.nextSpawnT <= lastSpawn) {
      const st = run.nextSpawnT;
      run.nextSpawnT += Math.max(run.minInterval, spawnInterval(run, st));
      // an ore whose whole life already passed (the tab slept) is not worth spawning
      if (t - st < 1200) spawn(run, st);
    }
    run.ores = run.ores.filter((o) => !o.mined && t < o.born + o.life);
    if (t >= run.durationMs) endRun(run);
  }

  function oreAlive(o, t) {
    return !o.mined && t >= o.born && t < o.born + o.life;
  }

  function onPointerDown(e) {
    if (!G || S.screen !== 'playing') return;
    e.preventDefault();
    const run = G;
    const ts = now();
    tick(ts);
    if (run.phase !== 'playing') return;
    const rect = board.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const t = run.t;
    let best = null;
    let bestD = Infinity;
    for (const o of run.ores) {
      if (!oreAlive(o, t)) continue;
      const d = Math.hypot(o.x - x, o.y - y);
      if (d <= o.r + 14 && d < bestD) {
        best = o;
        bestD = d;
      }
    }
    run.swings.push({ x, y, born: t });
    if (best) mine(run, best, t);
    else miss(run, x, y, t);
  }
  board.addEventListener('pointerdown', onPointerDown);
  board.addEventListener('contextmenu', (e) => e.preventDefault());

  function mine(run, ore, t) {
    ore.mined = true;
    run.combo = t - run.lastMineT <= COMBO_WINDOW_MS && run.combo > 0 ? run.combo + 1 : 1;
    run.lastMineT = t;
    run.bestCombo = Math.max(run.bestCombo, run.combo);
    const comboPct = Math.min(COMBO_MAX_PCT, 100 + COMBO_STEP_PCT * (run.combo - 1));
    let points = Math.floor((ore.value * comboPct * run.multPct) / 10000);
    if (run.maxScore !== null) points = Math.max(0, Math.min(points, run.maxScore - run.score));
    run.score += points;
    run.mined++;
    const skin = skinOf(run.skin);
    // shards in the ore's colours, sparks in the skin's
    const rand = run.rand;
    const shardN = ore.tier.id === 'starstone' ? 22 : 14;
    for (let i = 0; i < shardN; i++) {
      const a = rand() * Math.PI * 2;
      const sp = 120 + rand() * 260;
      run.particles.push({
        kind: 'shard',
        x: ore.x,
        y: ore.y,
        vx: Math.cos(a) * sp,
        vy: Math.sin(a) * sp - 120,
        life: 700 + rand() * 400,
        age: 0,
        size: 3 + rand() * 5,
        rot: rand() * 6,
        vr: (rand() - 0.5) * 14,
        color: ore.tier.pal[Math.floor(rand() * 3)],
      });
    }
    for (let i = 0; i < 10; i++) {
      const a = rand() * Math.PI * 2;
      const sp = 200 + rand() * 260;
      run.particles.push({ kind: 'spark', x: ore.x, y: ore.y, vx: Math.cos(a) * sp, vy: Math.sin(a) * sp, life: 350 + rand() * 250, age: 0, size: 2, color: skin.spark[i % 3] });
    }
    for (let i = 0; i < 5; i++) {
      const a = rand() * Math.PI * 2;
      run.particles.push({ kind: 'dust', x: ore.x + Math.cos(a) * ore.r * 0.5, y: ore.y + Math.sin(a) * ore.r * 0.5, vx: Math.cos(a) * 30, vy: Math.sin(a) * 30 - 10, life: 600, age: 0, size: ore.r * 0.5, color: '#8a7f96' });
    }
    run.particles.push({ kind: 'ring', x: ore.x, y: ore.y, vx: 0, vy: 0, life: 380, age: 0, size: ore.r, color: ore.tier.pal[1] });
    run.floaters.push({ x: ore.x, y: ore.y - ore.r * 0.4, text: `+${points}`, color: ore.tier.pal[0], edge: ore.tier.pal[2], born: t, life: 900, size: ore.value >= 50 ? 30 : ore.value >= 20 ? 26 : 22 });
    if (ore.tier.id === 'starstone') {
      run.floaters.push({ x: ore.x, y: ore.y + ore.r * 0.7, text: 'STARSTONE!', color: '#ffffff', edge: '#5b22c9', born: t, life: 1100, size: 16 });
    }
    if (run.combo >= 3 && (run.combo <= 6 || run.combo % 5 === 0)) {
      run.floaters.push({ x: view.w / 2, y: view.h * 0.16, text: `Combo ×${run.combo}`, color: skin.accent, edge: '#1a0d00', born: t, life: 800, size: 24, center: true });
    }
    run.shake = Math.max(run.shake, ore.value >= 50 ? 7 : ore.value >= 30 ? 4 : 2);
    const hs = $('hud-score');
    hs.textContent = fmt(run.score);
    hs.classList.remove('bump');
    void hs.offsetWidth;
    hs.classList.add('bump');
    updateComboHud(run, t, true);
    haptic('light');
  }

  function miss(run, x, y, t) {
    if (run.combo > 1) run.floaters.push({ x, y: y - 10, text: 'combo lost', color: '#c9bfd6', edge: '#000000', born: t, life: 700, size: 14 });
    run.combo = 0;
    const rand = run.rand;
    for (let i = 0; i < 6; i++) {
      const a = -Math.PI / 2 + (rand() - 0.5) * 2.4;
      run.particles.push({ kind: 'dust', x, y, vx: Math.cos(a) * (40 + rand() * 60), vy: Math.sin(a) * (40 + rand() * 60), life: 500, age: 0, size: 5 + rand() * 5, color: '#6e6478' });
    }
    for (let i = 0; i < 4; i++) {
      const a = rand() * Math.PI * 2;
      run.particles.push({ kind: 'spark', x, y, vx: Math.cos(a) * 160, vy: Math.sin(a) * 160, life: 200, age: 0, size: 1.5, color: '#d8d0e0' });
    }
    updateComboHud(run, t, false);
  }

  function updateComboHud(run, t, bump) {
    const c = $('hud-combo');
    const active = run.combo >= 2 && t - run.lastMineT <= COMBO_WINDOW_MS;
    const text = active ? `Combo ×${run.combo} +${Math.min(COMBO_MAX_PCT, 100 + COMBO_STEP_PCT * (run.combo - 1)) - 100}%` : '';
    if (c.textContent !== text) c.textContent = text;
    if (bump && active) {
      c.classList.remove('bump');
      void c.offsetWidth;
      c.classList.add('bump');
    }
  }

  function haptic(kind) {
    const wa = webApp();
    try {
      if (wa && wa.HapticFeedback) wa.HapticFeedback.impactOccurred(kind);
    } catch (_) {
      /* optional */
    }
  }

  function endRun(run) {
    if (run.phase !== 'playing') return;
    run.phase = 'over';
    run.t = run.durationMs;
    $('hud-time').textContent = '0';
    $('timer-fill').style.transform = 'scaleX(0)';
    const banner = $('banner');
    banner.textContent = '';
    banner.appendChild(el('span', '', "Time's up!"));
    banner.classList.add('show');
    haptic('heavy');
    const score = run.score;
    const mined = run.mined;
    run.finish = api('POST', `/api/runs/${encodeURIComponent(run.runId)}/finish`, { score, mined }).then(
      (res) => ({ ok: true, res }),
      (err) => ({ ok: false, err }),
    );
    // results while the request flies
    prepareResults(run);
    setTimeout(() => {
      if (G !== run || S.screen !== 'playing') return;
      show('results');
    }, 1100);
    run.finish.then((out) => settleResults(run, out));
  }

  function prepareResults(run) {
    const r = $('screen-results');
    r.dataset.state = 'saving';
    $('results-title').textContent = "Time's up!";
    $('final-score').textContent = fmt(run.score);
    $('saving').textContent = 'Saving your score…';
    $('saving').hidden = false;
    $('new-best').hidden = true;
    $('result-best').textContent = '—';
    $('gems-awarded').textContent = '—';
    $('rank').textContent = '—';
    $('mined-count').textContent = fmt(run.mined);
    $('best-combo').textContent = run.bestCombo >= 2 ? `×${run.bestCombo}` : '—';
    $('result-mult').textContent = formatMult(run.multiplier);
    $('result-error').hidden = true;
    $('daily-note').hidden = true;
    $('share-btn').hidden = true;
    $('again-btn').disabled = true;
  }

  function settleResults(run, out) {
    if (G !== run) return;
    const r = $('screen-results');
    $('again-btn').disabled = false;
    $('saving').hidden = true;
    if (out.ok) {
      const res = out.res || {};
      r.dataset.state = 'saved';
      $('final-score').textContent = fmt(res.score != null ? res.score : run.score);
      $('result-best').textContent = fmt(res.best);
      $('gems-awarded').textContent = `+${fmt(res.gems_awarded)}`;
      $('rank').textContent = res.rank ? `#${fmt(res.rank)}` : '—';
      $('new-best').hidden = !res.new_best;
      $('results-title').textContent = res.new_best ? 'What a run!' : "Time's up!";
      const proxy = window.TelegramGameProxy;
      $('share-btn').hidden = !(proxy && typeof proxy.shareScore === 'function');
      showDailyNote(res);
      if (S.me) {
        S.me.best_score = Math.max(Number(S.me.best_score) || 0, Number(res.best) || 0);
        S.me.gems = (Number(S.me.gems) || 0) + (Number(res.gems_awarded) || 0);
        if (S.me.arcade && res.gems_left_today != null) S.me.arcade.gems_left_today = res.gems_left_today;
      }
      // background refresh for the home screen
      Promise.allSettled([loadMe(), loadTop()]).then(() => {
        renderHome();
        renderTop();
      });
    } else {
      const err = out.err;
      r.dataset.state = 'error';
      if (err && err.status === 401) return;
      const msg = (err && err.message) || 'Your score could not be saved.';
      $('result-error').textContent = `Score not saved: ${msg}`;
      $('result-error').hidden = false;
      showError(msg);
    }
  }

  // Under the results: whether the day's arcade allowance capped this run's gems, or what is left.
  function showDailyNote(res) {
    const note = $('daily-note');
    const arcade = S.me && S.me.arcade;
    const perDay = arcade ? Number(arcade.gems_per_day) || 0 : 0;
    note.classList.toggle('capped', Boolean(res.daily_limit_reached));
    if (res.daily_limit_reached) note.textContent = 'Daily arcade gems reached — your score still counts for the leaderboard';
    else if (res.gems_left_today != null && perDay) note.textContent = `Arcade gems left today: ${fmt(res.gems_left_today)} of ${fmt(perDay)}`;
    else {
      note.hidden = true;
      return;
    }
    note.hidden = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  function startLoop() {
    if (!rafId) rafId = requestAnimationFrame(frame);
    // Logic keeps going even when frames are throttled (a hidden tab), so the run always ends.
    if (!fallbackTimer) fallbackTimer = setInterval(() => tick(now()), 250);
  }
  function stopLoop() {
    if (rafId) cancelAnimationFrame(rafId);
    rafId = 0;
    if (fallbackTimer) clearInterval(fallbackTimer);
    fallbackTimer = 0;
  }

  function frame(ts) {
    rafId = 0;
    if (S.screen !== 'playing' || !G) return;
    const run = G;
    tick(ts);
    const dt = run.lastFrame ? clamp(ts - run.lastFrame, 0, 50) : 16;
    run.lastFrame = ts;
    render(run, ts, dt);
    rafId = requestAnimationFrame(frame);
  }

  function render(run, ts, dt) {
    const ctx = bctx;
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

    // HUD
    if (run.phase === 'playing') {
      const frac = clamp(left / run.durationMs, 0, 1);
      $('timer-fill').style.transform = `scaleX(${frac})`;
      const secsLeft = String(Math.ceil(left / 1000));
      if ($('hud-time').textContent !== secsLeft) $('hud-time').textContent = secsLeft;
      const low = left < lowTimeMs(run);
      $('timer-fill').classList.toggle('low', low);
      document.querySelector('.hud-time').classList.toggle('low', low);
      updateComboHud(run, t, false);
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

  // ---------------------------------------------------------------------------------------------
  // Automation hook for browser tests

  window.starmineRush = Object.freeze({
    state() {
      const ts = now();
      if (G && G.phase === 'playing') tick(ts);
      const run = G;
      const playing = S.screen === 'playing' && run && run.phase === 'playing';
      const t = run ? run.t : 0;
      let timeLeftMs = 0;
      if (run) {
        if (run.phase === 'countdown') timeLeftMs = run.durationMs;
        else if (run.phase === 'playing') timeLeftMs = Math.max(0, Math.round(run.durationMs - t));
      }
      return {
        screen: S.screen,
        phase: run ? run.phase : null,
        score: run ? run.score : 0,
        mined: run ? run.mined : 0,
        combo: run ? run.combo : 0,
        timeLeftMs,
        durationMs: run ? run.durationMs : 0,
        runId: run ? run.runId : null,
        maxScore: run ? run.maxScore : null,
        multiplier: run ? run.multiplier : 1,
        skin: run ? run.skin : currentSkin,
        ores: playing
          ? run.ores
              .filter((o) => oreAlive(o, t))
              .map((o) => ({
                x: Math.round(o.x * 10) / 10,
                y: Math.round(o.y * 10) / 10,
                r: o.r,
                value: o.value,
                tier: o.tier.id,
                msLeft: Math.round(o.born + o.life - t),
              }))
          : [],
      };
    },
  });

  // ---------------------------------------------------------------------------------------------
  // Boot

  async function boot() {
    paintBackdrop();
    if (webApp()) setupWebApp();
    if (!hasSession()) {
      showExpired();
      return;
    }
    try {
      await loadMe();
    } catch (e) {
      if (e.status === 401) return;
      show('home');
      showError(e.message);
      return;
    }
    await Promise.allSettled([loadShop(), loadTop()]);
    renderHome();
    renderTop();
    show('home');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
