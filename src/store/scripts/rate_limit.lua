-- A call metered on its own (the game API's reads); see meter.lua.
-- KEYS: the player's window (sorted set of served request times)
-- ARGV: now ms, window ms, limit, unique member
-- Returns 1 when this request is served, 0 when the player must slow down.
local now, window_ms, limit, member = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
if metered(KEYS[1], now, window_ms, limit, member) then return 1 end
return 0
