// Scoring: the ore tiers, the bag their spawns are drawn from, and the points one mined ore earns.
// Pure: no DOM, so `node --test` loads it (tests/js/game_scoring.test.mjs).
//
// Score model (the server's max_score must be at least the bound computed by scoreBound()):
//   - Ore spawns on a fixed schedule: the first at 250 ms, then never closer than `minInterval`
//     (400 ms by default; more if the server's max_score asks for it), none in the last 500 ms.
//   - Each ore's tier comes from a shuffled bag of 20 (refilled when empty), so every 20 spawns
//     hold exactly: 1 starstone (100), 1 ruby (50), 2 sapphires (30), 4 gold (20), 5 silver (15),
//     7 copper (10) = 435 points.
//   - Points for one ore = floor(value × combo% × multiplier% / 10000), combo% = 100 + 10 per chained
//     ore, at most 150.
//   - The page also never lets the total pass max_score.

export const TIERS = {
  copper: { id: 'copper', name: 'Copper', value: 10, r: 30, life: 2700, shape: 'nugget', pal: ['#ffd0a3', '#e07b3c', '#7a3412'] },
  silver: { id: 'silver', name: 'Silver', value: 15, r: 30, life: 2600, shape: 'shard', pal: ['#ffffff', '#bcc7d4', '#56606f'] },
  gold: { id: 'gold', name: 'Gold', value: 20, r: 29, life: 2400, shape: 'nugget', pal: ['#fff6b8', '#ffc72c', '#9a6100'] },
  sapphire: { id: 'sapphire', name: 'Sapphire', value: 30, r: 28, life: 2200, shape: 'cut', pal: ['#d4efff', '#3b8cff', '#0c2477'] },
  ruby: { id: 'ruby', name: 'Ruby', value: 50, r: 27, life: 2000, shape: 'cut', pal: ['#ffd6de', '#ff2e55', '#6e0420'] },
  starstone: { id: 'starstone', name: 'Starstone', value: 100, r: 28, life: 1800, shape: 'star', pal: ['#ffffff', '#d6a8ff', '#5b22c9'] },
};

// One bag of 20 spawns; shuffled per bag. Sum of values = 435.
export const BAG = [
  'starstone', 'ruby', 'sapphire', 'sapphire',
  'gold', 'gold', 'gold', 'gold',
  'silver', 'silver', 'silver', 'silver', 'silver',
  'copper', 'copper', 'copper', 'copper', 'copper', 'copper', 'copper',
];
const BAG_VALUES_DESC = BAG.map((id) => TIERS[id].value).sort((a, b) => b - a);
export const BAG_SUM = BAG_VALUES_DESC.reduce((a, b) => a + b, 0);

export const FIRST_SPAWN_MS = 250;
export const LAST_SPAWN_GAP_MS = 500;
const BASE_MIN_INTERVAL_MS = 400;
export const COMBO_WINDOW_MS = 1500;
const COMBO_STEP_PCT = 10;
export const COMBO_MAX_PCT = 150;

// Spawn slots in a run of `durationMs` when no two spawns are closer than `interval`.
export function spawnSlots(durationMs, interval) {
  const last = durationMs - LAST_SPAWN_GAP_MS;
  if (last < FIRST_SPAWN_MS) return 0;
  return Math.floor((last - FIRST_SPAWN_MS) / interval) + 1;
}
// Highest possible sum of base values over n spawns drawn from fresh bags.
export function baseBound(n) {
  let s = Math.floor(n / BAG.length) * BAG_SUM;
  for (let i = 0; i < n % BAG.length; i++) s += BAG_VALUES_DESC[i];
  return s;
}
// Best possible score of a run, with every ore mined at the top combo.
export function scoreBound(durationMs, interval, multPct) {
  return Math.floor((baseBound(spawnSlots(durationMs, interval)) * COMBO_MAX_PCT * multPct) / 10000);
}

// The closest spacing of spawns, in steps of 25 ms from 400 ms, at which even a perfect run stays
// within the server's `maxScore` (null: no ceiling).
export function minIntervalFor(durationMs, multPct, maxScore) {
  let interval = BASE_MIN_INTERVAL_MS;
  if (maxScore === null) return interval;
  while (interval < durationMs && scoreBound(durationMs, interval, multPct) > maxScore) interval += 25;
  return interval;
}

// The combo bonus of the `combo`-th ore in a chain, in percent (100 for the first).
export function comboPct(combo) {
  return Math.min(COMBO_MAX_PCT, 100 + COMBO_STEP_PCT * (combo - 1));
}

// The points one mined ore adds to `score`: its value with the combo and multiplier, never past
// `maxScore` (null: no ceiling).
export function orePoints(value, combo, multPct, score, maxScore) {
  const points = Math.floor((value * comboPct(combo) * multPct) / 10000);
  return maxScore === null ? points : Math.max(0, Math.min(points, maxScore - score));
}
