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

-- The reply of a game script from a state table (numbers go out as strings, as read).
local function state_reply(verdict, s)
  local function text(value, default)
    if value == nil then return default end
    if type(value) == 'number' then return string.format('%d', value) end
    return value
  end
  return {verdict, text(s.energy, ''), text(s.energy_at, ''), text(s.gems, '0'), text(s.mined, '0'),
    text(s.depth, '0'), text(s.ver, '0')}
end

local function player_reply(verdict, k_state)
  return state_reply(verdict, hash(k_state))
end
