-- The player side of a successful payment, idempotent by charge id: records the payment and
-- grants its units (or records it as awaiting an automatic refund).
-- KEYS: inventory, payment, payments, ledger, state, boosts
-- ARGV: now, charge, item, qty, amount, status ('paid' | 'refund_pending'), grants
--       ('item=qty,@gems=n,...'), counted by the item side (0/1), reason for an automatic refund,
--       user
-- Returns {1, state, inventory, boosts} when granted now (the player as it stands after the
-- grant, flat HGETALL replies, for the game loop's copy), {1} when recorded as awaiting an
-- automatic refund, {0} for a repeat.
local now = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then return {0} end
redis.call('HSET', KEYS[2], 'charge', ARGV[2], 'item', ARGV[3], 'qty', ARGV[4], 'amount', ARGV[5],
  'status', ARGV[6], 'paid_at', now, 'grants', ARGV[7], 'counted', ARGV[8])
redis.call('ZADD', KEYS[3], now, ARGV[2])
if ARGV[6] == 'paid' then
  for _, unit in ipairs(units(ARGV[7])) do
    add_units(KEYS[1], KEYS[5], unit[1], unit[2])
  end
  log(KEYS[4], now, {event = 'grant', charge = ARGV[2], item = ARGV[3], amount = tonumber(ARGV[5]), units = ARGV[7]})
  changed(KEYS[5], ARGV[10])
  return {1, redis.call('HGETALL', KEYS[5]), redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[6])}
else
  redis.call('HSET', KEYS[2], 'refund_by', 'automatic', 'reason', ARGV[9], 'revoked', '')
  log(KEYS[4], now, {event = 'unfulfillable', charge = ARGV[2], item = ARGV[3], amount = tonumber(ARGV[5]), reason = ARGV[9]})
end
return {1}
