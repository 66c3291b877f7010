-- Opens the books of a player from before them: their balances now (inventory, gems, the dig
-- aggregate `mined`, upgrade levels and cosmetics) become an `opening` ledger line the audit
-- counts from, and `audit_since` marks the player. A player created since the books existed is
-- marked `audit_since = 0` by their first change (`changed`, dig.lua) and is not opened; one
-- never changed (no `ver`) has nothing to open: their books start at zero.
-- KEYS: inventory, state, ledger
-- ARGV: now
-- Returns the player's `audit_since` ('' when never changed).
local now = ARGV[1]
local since = redis.call('HGET', KEYS[2], 'audit_since')
if since then return since end
if not redis.call('HGET', KEYS[2], 'ver') then return '' end
local state = hash(KEYS[2])
local units, levels = {}, {}
for item, qty in pairs(hash(KEYS[1])) do units[#units + 1] = item .. '=' .. qty end
table.sort(units)
units[#units + 1] = '@gems=' .. (state.gems or '0')
for field, value in pairs(state) do
  if string.match(field, '^lvl:') or string.match(field, '^cos:') then levels[#levels + 1] = field .. '=' .. value end
end
table.sort(levels)
log(KEYS[3], tonumber(now), {event = 'opening', units = table.concat(units, ','), mined = state.mined or '0',
  levels = table.concat(levels, ',')})
redis.call('HSET', KEYS[2], 'audit_since', now)
return now
