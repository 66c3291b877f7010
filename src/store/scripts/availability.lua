-- What the shop shows one player for one item: units left for sale and why one more unit may
-- not go to them now, by the same `blocked` rule create_order and precheckout apply.
-- KEYS: sold, holds, owned, uholds(user)
-- ARGV: now, user, stock, max per player, permanent(0/1)
-- Returns {left (-1: unlimited), reason ('' when nothing blocks it)}.
local now, user = tonumber(ARGV[1]), ARGV[2]
local stock, max_per_player, permanent = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5] == '1'
local left = -1
if stock >= 0 then left = math.max(0, units_left(KEYS[1], KEYS[2], now, stock)) end
local why = blocked(KEYS[1], KEYS[2], KEYS[3], KEYS[4], user, 1, now, stock, max_per_player, permanent)
return {left, why or ''}
