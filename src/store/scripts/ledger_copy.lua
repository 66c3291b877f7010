-- Copies rows of the Star ledger into the console's copy, each once (by its key: a pass that
-- reads a page again writes nothing), indexed by date overall, by player, by item and by player
-- and item; then drops the oldest rows beyond the bound from every index they are in.
-- KEYS: rows (hash), by date (sorted set) -- the other indexes are named from ARGV's prefixes,
--       all in the same `{ledger}` slot
-- ARGV: kept, player prefix, item prefix, player-item prefix, then five per row:
--       key, date (unix s), encoded row (JSON with `player` and `item` as strings when known),
--       player ('' when none), item ('' when none)
-- Returns how many rows were new.
local kept = tonumber(ARGV[1])
local by_player, by_item, by_pair = ARGV[2], ARGV[3], ARGV[4]
-- At most this many old rows go per call, so a lowered bound never makes one long script.
local TRIM_MAX = 1000

local function indexes(player, item)
  local found = {}
  if player ~= '' then found[#found + 1] = by_player .. player end
  if item ~= '' then found[#found + 1] = by_item .. item end
  if player ~= '' and item ~= '' then found[#found + 1] = by_pair .. player .. ':' .. item end
  return found
end

local added = 0
for at = 5, #ARGV, 5 do
  local key, date, row, player, item = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4]
  if redis.call('HSETNX', KEYS[1], key, row) == 1 then
    added = added + 1
    redis.call('ZADD', KEYS[2], date, key)
    for _, index in ipairs(indexes(player, item)) do
      redis.call('ZADD', index, date, key)
    end
  end
end

local over = math.min(redis.call('ZCARD', KEYS[2]) - kept, TRIM_MAX)
if over > 0 then
  for _, key in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do
    local encoded = redis.call('HGET', KEYS[1], key)
    if encoded then
      local row = cjson.decode(encoded)
      local player = type(row.player) == 'string' and row.player or ''
      local item = type(row.item) == 'string' and row.item or ''
      for _, index in ipairs(indexes(player, item)) do
        redis.call('ZREM', index, key)
      end
      redis.call('HDEL', KEYS[1], key)
    end
    redis.call('ZREM', KEYS[2], key)
  end
end
return added
