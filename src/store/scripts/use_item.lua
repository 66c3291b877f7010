-- Uses one unit of an item, atomically with its effect: energy added (up to the cap) and/or a
-- boost started (or extended). At most once per action id.
-- KEYS: inventory, state, boosts, actions, ledger
-- ARGV: now, action, item, energy to add (0 = none), energy spec (see energy_rules), boost ms
--       (0 = none), user
-- Returns {verdict, energy, energy_at, gems, mined, depth, ver, boost expiry or ''}; verdict
-- 'ok' | 'repeat' | 'not_owned' | 'energy_full'.
local now, action, item = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local add, spec, boost_ms, user = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6]), ARGV[7]
local function reply(verdict)
  local answer = player_reply(verdict, KEYS[2])
  answer[#answer + 1] = redis.call('HGET', KEYS[3], item) or ''
  return answer
end
if seen(KEYS[4], action, now) then return reply('repeat') end
if tonumber(redis.call('HGET', KEYS[1], item) or '0') < 1 then return reply('not_owned') end
if add ~= 0 then
  local state = hash(KEYS[2])
  local max, regen = energy_rules(state, spec, now)
  local energy, at = energy_now(state, now, max, regen)
  if energy >= max and boost_ms == 0 then return reply('energy_full') end
  local filled = math.max(energy, math.min(max, energy + add))
  if filled >= max then at = now end
  redis.call('HSET', KEYS[2], 'energy', filled, 'energy_at', at)
end
for item, expiry in pairs(hash(KEYS[3])) do
  if tonumber(expiry) <= now then redis.call('HDEL', KEYS[3], item) end
end
if boost_ms > 0 then
  local current = tonumber(redis.call('HGET', KEYS[3], item) or '0')
  redis.call('HSET', KEYS[3], item, math.max(now, current) + boost_ms)
end
add_units(KEYS[1], KEYS[2], item, -1)
redis.call('ZADD', KEYS[4], now, action)
log(KEYS[5], now, {event = 'use', item = item, units = item .. '=1'})
changed(KEYS[2], user)
return reply('ok')
