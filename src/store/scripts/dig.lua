-- One dig: spends energy and adds the gems the game loop rolled, at most once per action id.
-- KEYS: state, actions
-- ARGV: now, action, cost, energy spec (see energy_rules), gems found, display name, user
-- Returns {verdict, energy, energy_at, gems, mined, depth, ver}; verdict 'ok' | 'repeat' |
-- 'no_energy'.
-- The hottest script: it reads the state once and writes it with one HSET (the reply is built
-- from what it wrote, not read again). It writes no ledger line: `mined` is the aggregate of
-- every gem a dig found, which the audit counts instead.
local now, action, cost, spec = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), ARGV[4]
local found, name, user = tonumber(ARGV[5]), ARGV[6], ARGV[7]
if seen(KEYS[2], action, now) then return player_reply('repeat', KEYS[1]) end
local state = hash(KEYS[1])
local max, regen = energy_rules(state, spec, now)
local energy, at = energy_now(state, now, max, regen)
if energy < cost then
  redis.call('HSET', KEYS[1], 'energy', energy, 'energy_at', at)
  state.energy, state.energy_at = energy, at
  return state_reply('no_energy', state)
end
-- Spending from a full bar starts the regeneration clock now.
if energy >= max then at = now end
local first = state.ver == nil
state.energy, state.energy_at, state.name = energy - cost, at, name
state.gems = tonumber(state.gems or 0) + found
state.mined = tonumber(state.mined or 0) + found
state.depth = tonumber(state.depth or 0) + 1
state.ver = tonumber(state.ver or 0) + 1
redis.call('HSET', KEYS[1], 'energy', state.energy, 'energy_at', at, 'name', state.name, 'gems', state.gems,
  'mined', state.mined, 'depth', state.depth, 'ver', state.ver)
-- The player's first change: their books are kept from the start (see `changed`).
if first then redis.call('HSETNX', KEYS[1], 'audit_since', 0) end
redis.call('ZADD', KEYS[2], now, action)
announce(user, state.ver)
return state_reply('ok', state)
