-- The player side of a successful payment, idempotent by charge id: records the payment and
-- grants its units (or records it as awaiting an automatic refund).
-- A gift is recorded in the recipient's slot (this one) with `payer` = the buyer and `gift` = 1.
-- KEYS: inventory, payment, payments, ledger, state, boosts
-- Returns {1, state, inventory, boosts} when granted now (the player as it stands after the
-- grant, flat HGETALL replies, for the game loop's copy), {1} when recorded as awaiting an
-- automatic refund, {0} for a repeat.
local now = tonumber(ARGV[1])
local charge, item, qty, amount = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local status = ARGV[6]        -- 'paid' | 'refund_pending'
local grants = ARGV[7]        -- 'item=qty,@gems=n,...'
local counted = ARGV[8]       -- counted by the item side (0/1)
local reason = ARGV[9]        -- why an automatic refund
local user = ARGV[10]
local payer = ARGV[11] or ''  -- the buyer of a gift ('' when the player paid)

if redis.call('EXISTS', KEYS[2]) == 1 then return {0} end
redis.call('HSET', KEYS[2], 'charge', charge, 'item', item, 'qty', qty, 'amount', amount,
  'status', status, 'paid_at', now, 'grants', grants, 'counted', counted)
if payer ~= '' then redis.call('HSET', KEYS[2], 'payer', payer, 'gift', 1) end
redis.call('ZADD', KEYS[3], now, charge)
if status == 'paid' then
  for _, unit in ipairs(units(grants)) do
    add_units(KEYS[1], KEYS[5], unit[1], unit[2])
  end
  local line = {event = 'grant', charge = charge, item = item, amount = tonumber(amount), units = grants}
  if payer ~= '' then line.gift_from = payer end
  log(KEYS[4], now, line)
  changed(KEYS[5], user)
  return {1, redis.call('HGETALL', KEYS[5]), redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[6])}
else
  redis.call('HSET', KEYS[2], 'refund_by', 'automatic', 'reason', reason, 'revoked', '')
  log(KEYS[4], now, {event = 'unfulfillable', charge = charge, item = item, amount = tonumber(amount), reason = reason})
end
return {1}
