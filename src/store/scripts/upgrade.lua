-- Buys with gems: the next level of an upgrade track or a cosmetic, at most once per action id.
-- A level applies only if the player is at the level before it, so a double tap naming the same
-- target level buys once; gems never go negative. Energy is settled at the old cap and rate
-- before a level changes them (domain::economy::GemPurchase::apply is the same rule).
-- KEYS: state, actions, ledger
-- ARGV: now, action, field ('lvl:<track>' or 'cos:<cosmetic>'), target level (1 for a
--       cosmetic), cost in gems, energy spec (see energy_rules), user
-- Returns {verdict, energy, energy_at, gems, mined, depth, ver, level now}; verdict 'ok' |
-- 'repeat' | 'already' | 'not_next' | 'no_gems'.
local now, action, field, target, cost = tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local spec, user = ARGV[6], ARGV[7]
local function reply(verdict)
  local answer = player_reply(verdict, KEYS[1])
  answer[#answer + 1] = redis.call('HGET', KEYS[1], field) or '0'
  return answer
end
if seen(KEYS[2], action, now) then return reply('repeat') end
local state = hash(KEYS[1])
local current = tonumber(state[field] or 0)
if current >= target then return reply('already') end
if current + 1 ~= target then return reply('not_next') end
if tonumber(state.gems or 0) < cost then return reply('no_gems') end
local max, regen = energy_rules(state, spec, now)
local energy, at = energy_now(state, now, max, regen)
redis.call('HSET', KEYS[1], 'energy', energy, 'energy_at', at, field, target)
redis.call('HINCRBY', KEYS[1], 'gems', -cost)
redis.call('ZADD', KEYS[2], now, action)
log(KEYS[3], now, {event = 'gem_purchase', field = field, level = target, gems = -cost})
changed(KEYS[1], user)
return reply('ok')
