-- One dig: spends energy and adds the gems the game loop rolled, at most once per action id.
-- KEYS: state, actions
-- ARGV: now, action, cost, energy max, regen ms, gems found, display name, user
-- Returns {verdict, energy, energy_at, gems, mined, depth, ver}; verdict 'ok' | 'repeat' |
-- 'no_energy'.
local now = tonumber(ARGV[1])
if seen(KEYS[2], ARGV[2], now) then return player_reply('repeat', KEYS[1]) end
local state = hash(KEYS[1])
local max, regen = tonumber(ARGV[4]), tonumber(ARGV[5])
local energy, at = energy_now(state, now, max, regen)
local cost = tonumber(ARGV[3])
if energy < cost then
  redis.call('HSET', KEYS[1], 'energy', energy, 'energy_at', at)
  return player_reply('no_energy', KEYS[1])
end
-- Spending from a full bar starts the regeneration clock now.
if energy >= max then at = now end
local gems = tonumber(ARGV[6])
redis.call('HSET', KEYS[1], 'energy', energy - cost, 'energy_at', at, 'name', ARGV[7])
redis.call('HINCRBY', KEYS[1], 'gems', gems)
redis.call('HINCRBY', KEYS[1], 'mined', gems)
redis.call('HINCRBY', KEYS[1], 'depth', 1)
redis.call('ZADD', KEYS[2], now, ARGV[2])
changed(KEYS[1], ARGV[8])
return player_reply('ok', KEYS[1])
