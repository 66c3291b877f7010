-- Energy stored as value + timestamp, derived when read (shared by the game scripts).

-- Returns energy now and the timestamp to store with it, regenerating one point per
-- `regen` ms up to `max`; a new player starts full.
local function energy_now(state, now, max, regen)
  local value = tonumber(state.energy or max)
  local at = tonumber(state.energy_at or now)
  if value >= max then return value, now end
  local gained = math.floor(math.max(0, now - at) / regen)
  if value + gained >= max then return max, now end
  return value + gained, at + gained * regen
end

-- Applied before? (the action id is the idempotency key). Also forgets ids older than a day.
local function seen(k_actions, action, now)
  redis.call('ZREMRANGEBYSCORE', k_actions, '-inf', now - 86400000)
  return redis.call('ZSCORE', k_actions, action) ~= false
end

local function player_reply(verdict, k_state)
  local s = hash(k_state)
  return {verdict, s.energy or '', s.energy_at or '', s.gems or '0', s.mined or '0', s.depth or '0', s.ver or '0'}
end
