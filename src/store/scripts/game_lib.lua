-- Energy stored as value + timestamp, derived when read (shared by the game scripts).

-- The player's energy cap and regeneration (ms a point) at `now`: the base rules with their
-- upgrade levels and running passes applied, as domain::Catalog::energy_rules computes them.
-- spec: '<max>|<regen ms>|<cap tracks>|<regen tracks>[|<passes>]', each track list as
-- '<track>:<per level>:<last level>,...' (per level in points, resp. ms less a point), passes as
-- '<pass>:<cap points>:<ms less a point>,...', counted while `pass:<pass>` (an expiry in ms) in
-- the state hash is after `now`: a pass adds to the sums as levels do (the one stacking rule).
local function energy_rules(state, spec, now)
  local max, regen, caps, faster, passes = string.match(spec, '^(%d+)|(%d+)|([^|]*)|([^|]*)|?([^|]*)$')
  max, regen = tonumber(max), tonumber(regen)
  local function level(track, top) return math.min(tonumber(state['lvl:' .. track] or 0), tonumber(top)) end
  for track, per, top in string.gmatch(caps, '([%w_]+):(%d+):(%d+)') do
    max = max + level(track, top) * tonumber(per)
  end
  for track, per, top in string.gmatch(faster, '([%w_]+):(%d+):(%d+)') do
    regen = regen - level(track, top) * tonumber(per)
  end
  for pass, cap, quicker in string.gmatch(passes or '', '([%w_]+):(%d+):(%d+)') do
    if tonumber(state['pass:' .. pass] or 0) > now then
      max, regen = max + tonumber(cap), regen - tonumber(quicker)
    end
  end
  return max, math.max(1000, regen)
end

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

-- The run id at the end of a run key ('...:run:<id>').
local function run_id_of(key)
  return string.match(key, ':run:(.+)$')
end

-- A run's score ceiling at its finish, as domain::game::RunSources::ceiling_at_finish computes
-- it: the lesser of the ceiling at the start and what the tools still owned (`owned(id)`), the
-- boosts that ran at the start and the upgrade levels allow.
-- sources: '<base s>|<points/s>|<level s>|<boost s>|<boost %>|<tool>:<s>:<%>,...'
local function run_ceiling(started_with, sources, owned)
  if not sources then return started_with end
  local base, pps, levels, boost_s, boost_pct, tools =
    string.match(sources, '^(%d+)|(%d+)|(%d+)|(%d+)|(%d+)|(.*)$')
  if not base then return started_with end
  local extra, percent = tonumber(boost_s), math.max(100, tonumber(boost_pct))
  for item, seconds, pct in string.gmatch(tools, '([%w_]+):(%d+):(%d+)') do
    if owned(item) then
      extra = math.max(extra, tonumber(seconds))
      percent = math.max(percent, tonumber(pct))
    end
  end
  local seconds = tonumber(base) + extra + tonumber(levels)
  return math.min(started_with, math.floor(seconds * tonumber(pps) * percent / 100))
end
