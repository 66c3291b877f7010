-- The item side of a settled refund, idempotent by charge id: the units return to stock and
-- stop counting towards the player's limit.
-- KEYS: sold, owned, charges
-- ARGV: charge
-- Returns 1 when released now, 0 when there was nothing (more) to release.
local charge = ARGV[1]
local record = redis.call('HGET', KEYS[3], charge)
if not record then return 0 end
local qty, amount, user = string.match(record, '^granted||(%d+)|(%d+)|(%d+)$')
if not qty then return 0 end
local sold = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('SET', KEYS[1], math.max(0, sold - tonumber(qty)))
local owned = redis.call('HINCRBY', KEYS[2], user, -tonumber(qty))
if owned <= 0 then redis.call('HDEL', KEYS[2], user) end
redis.call('HSET', KEYS[3], charge, 'released||' .. qty .. '|' .. amount .. '|' .. user)
return 1
