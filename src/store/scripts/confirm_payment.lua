-- The item side of a successful payment, idempotent by charge id: closes the order and turns
-- its hold into a sale, or decides that the payment cannot be honoured and must be refunded.
-- KEYS: order, sold, holds, owned, uholds(payer), charges, open(payer)
-- ARGV: now, payer, currency, amount, stock, max per player, permanent(0/1), charge, token,
--       keep ms, item still sold(0/1)
-- Returns {'granted'|'refund', reason, qty, amount, repeat(0/1)}, or {'foreign', first payer, qty,
-- amount, '1'} when this charge was confirmed before for another payer (never granted twice).
local now = tonumber(ARGV[1])
local charge = ARGV[8]
local previous = redis.call('HGET', KEYS[6], charge)
if previous then
  local verdict, detail, qty, amount, payer = string.match(previous, '^(%a+)|([^|]*)|(%d+)|(%d+)|?(%d*)')
  if payer ~= '' and payer ~= ARGV[2] then return {'foreign', payer, qty, amount, '1'} end
  if verdict == 'released' then verdict = 'granted' end
  return {verdict, detail, qty, amount, '1'}
end

local function decide()
  if redis.call('EXISTS', KEYS[1]) == 0 then return 'unknown_order', nil end
  local order = hash(KEYS[1])
  if order.user ~= ARGV[2] then return 'not_your_invoice', order end
  if ARGV[3] ~= 'XTR' or tonumber(ARGV[4]) ~= tonumber(order.amount) then
    return 'amount_mismatch', order
  end
  if order.status == 'paid' then return 'already_paid', order end
  if ARGV[11] ~= '1' then return 'item_gone', order end
  local member = ARGV[9] .. '|' .. order.qty
  local held = redis.call('ZSCORE', KEYS[3], member)
  redis.call('ZREM', KEYS[3], member)
  redis.call('ZREM', KEYS[5], member)
  if held and tonumber(held) > now then return nil, order end
  -- The hold lapsed: honour the payment only if nothing blocks it now.
  if now > tonumber(order.expires_at) then return 'expired', order end
  local why = blocked(KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[2], tonumber(order.qty), now,
    tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7] == '1')
  return why, order
end

local why, order = decide()
local qty = order and order.qty or '1'
if why then
  redis.call('HSET', KEYS[6], charge, 'refund|' .. why .. '|' .. qty .. '|' .. ARGV[4] .. '|' .. ARGV[2])
  return {'refund', why, qty, ARGV[4], '0'}
end
redis.call('INCRBY', KEYS[2], qty)
redis.call('HINCRBY', KEYS[4], ARGV[2], qty)
redis.call('HSET', KEYS[1], 'status', 'paid', 'charge', charge, 'paid_at', now)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[10]))
local open = redis.call('GET', KEYS[7])
if open and string.sub(open, 1, #ARGV[9] + 1) == ARGV[9] .. '|' then redis.call('DEL', KEYS[7]) end
redis.call('HSET', KEYS[6], charge, 'granted||' .. qty .. '|' .. order.amount .. '|' .. ARGV[2])
return {'granted', '', qty, order.amount, '0'}
