-- The item side of a pass payment (its first payment or a renewal), idempotent by charge id:
-- one period is one unit of the pass sold to its payer, noted as granted, and the money of the
-- day is counted in the same step (as confirm_payment.lua counts a sale). A pass is honoured
-- even off sale: nothing here can refuse a period Telegram charged for.
-- KEYS: sold, owned, charges, money
-- ARGV: payer, amount, charge, date, hour
-- Returns {'granted'|'foreign', payer of the first confirmation, repeat (0/1)}.
local payer, amount, charge, date, hour = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local previous = redis.call('HGET', KEYS[3], charge)
if previous then
  local first_payer = string.match(previous, '|(%d*)$') or ''
  if first_payer ~= '' and first_payer ~= payer then return {'foreign', first_payer, '1'} end
  return {'granted', payer, '1'}
end
redis.call('INCRBY', KEYS[1], 1)
redis.call('HINCRBY', KEYS[2], payer, 1)
redis.call('HSET', KEYS[3], charge, 'granted||1|' .. amount .. '|' .. payer)
count_money(KEYS[4], date, {{'sold', 1}, {'stars', amount}, {'purchases', 1}})
count_money(KEYS[4], hour, {{'purchases', 1}})
return {'granted', payer, '0'}
