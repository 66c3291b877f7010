-- What the shop shows one player for one item: units left for sale and why one more unit may
-- not go to them now, by the same `blocked` rule create_order and precheckout apply.
-- KEYS: sold, holds, owned, uholds(user)
-- ARGV: now, user, stock, max per player, permanent(0/1)
-- Returns {left (-1: unlimited), reason ('' when nothing blocks it)}.
local now = tonumber(ARGV[1])
local stock = tonumber(ARGV[3])
local left = -1
if stock >= 0 then left = math.max(0, units_left(KEYS[1], KEYS[2], now, stock)) end
local why = blocked(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[2], 1, now,
  stock, tonumber(ARGV[4]), ARGV[5] == '1')
return {left, why or ''}
