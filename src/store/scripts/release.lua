-- The item side of a settled refund or a void, idempotent by charge id: the units return to
-- stock and stop counting towards the player's limit, and the day's money counts it once —
-- refunded (or voided) units and Stars. An automatic refund sold nothing: its record only
-- notes how it settled (`refund|<reason>/refunded|...`), which its Stars count once by.
-- KEYS: sold, owned, charges, money
-- ARGV: charge, settlement ('refunded' | 'voided'), date (UTC, of now)
-- Returns 1 when released now, 2 when an automatic refund was counted now, 0 when there was
-- nothing (more) to do.
local charge, settlement, date = ARGV[1], ARGV[2], ARGV[3]
local record = redis.call('HGET', KEYS[3], charge)
if not record then return 0 end
local stars_field = settlement .. '_stars'
local reason, rest = string.match(record, '^refund|([^|/]*)|(.*)$')
if reason then
  local amount = string.match(rest, '^%d+|(%d+)|')
  redis.call('HSET', KEYS[3], charge, 'refund|' .. reason .. '/' .. settlement .. '|' .. rest)
  count_money(KEYS[4], date, {{stars_field, amount}})
  return 2
end
-- A gift's record names its recipient after the payer: the units were counted for them.
local qty, amount, payer, recipient = string.match(record, '^granted||(%d+)|(%d+)|(%d+)|?(%d*)$')
if not qty then return 0 end
local user = recipient ~= '' and recipient or payer
local sold = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('SET', KEYS[1], math.max(0, sold - tonumber(qty)))
local owned = redis.call('HINCRBY', KEYS[2], user, -tonumber(qty))
if owned <= 0 then redis.call('HDEL', KEYS[2], user) end
local suffix = recipient ~= '' and ('|' .. recipient) or ''
redis.call('HSET', KEYS[3], charge, 'released||' .. qty .. '|' .. amount .. '|' .. payer .. suffix)
count_money(KEYS[4], date, {{settlement, qty}, {stars_field, amount}})
return 1
