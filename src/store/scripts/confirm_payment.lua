-- The item side of a successful payment, idempotent by charge id: closes the order and turns
-- its hold into a sale, or decides that the payment cannot be honoured and must be refunded.
-- Counts the money of the day (`date`, UTC) in the same step: units sold, Stars received and one
-- purchase (of the day and of its `hour`, `<date>T<hh>`) when granted, Stars received when
-- refunded (the refund counts when it settles: release.lua).
-- A gift (`recipient` set) counts its units for the recipient, who the record names last:
-- `granted||qty|amount|payer|recipient`.
-- KEYS: order, sold, holds, owned, uholds(holder), charges, open(payer, recipient), money
-- ARGV: ..., recipient ('' unless the payload names a gift's)
-- Returns {'granted'|'refund', reason, qty, amount, repeat(0/1)}, or {'foreign', first payer, qty,
-- amount, '1'} when this charge was confirmed before for another payer (never granted twice).
local now = tonumber(ARGV[1])
local payer, currency, amount = ARGV[2], ARGV[3], ARGV[4]
local stock, max_per_player, permanent = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7] == '1'
local charge, token, keep_ms, still_sold = ARGV[8], ARGV[9], tonumber(ARGV[10]), ARGV[11] == '1'
local date, hour = ARGV[12], ARGV[13]
local recipient = ARGV[14] or ''
local holder = recipient ~= '' and recipient or payer
local gift_suffix = recipient ~= '' and ('|' .. recipient) or ''
local previous = redis.call('HGET', KEYS[6], charge)
if previous then
  local verdict, detail, first_qty, first_amount, first_payer =
    string.match(previous, '^(%a+)|([^|]*)|(%d+)|(%d+)|?(%d*)')
  if first_payer ~= '' and first_payer ~= payer then return {'foreign', first_payer, first_qty, first_amount, '1'} end
  if verdict == 'released' then verdict = 'granted' end
  -- A settled automatic refund notes how it settled after its reason (see release.lua).
  return {verdict, string.match(detail, '^[^/]*'), first_qty, first_amount, '1'}
end

local function decide()
  local order, why = check_order(KEYS[1], payer, currency, amount, recipient)
  if why then return why, order end
  if not still_sold then return 'item_gone', order end
  local member = token .. '|' .. order.qty
  local held = redis.call('ZSCORE', KEYS[3], member)
  redis.call('ZREM', KEYS[3], member)
  redis.call('ZREM', KEYS[5], member)
  if held and tonumber(held) > now then return nil, order end
  -- The hold lapsed: honour the payment only if nothing blocks it now.
  if now > tonumber(order.expires_at) then return 'expired', order end
  return blocked(KEYS[2], KEYS[3], KEYS[4], KEYS[5], holder, tonumber(order.qty), now, stock, max_per_player, permanent), order
end

local why, order = decide()
local qty = order and order.qty or '1'
if why then
  redis.call('HSET', KEYS[6], charge, 'refund|' .. why .. '|' .. qty .. '|' .. amount .. '|' .. payer .. gift_suffix)
  count_money(KEYS[8], date, {{'stars', amount}})
  return {'refund', why, qty, amount, '0'}
end
redis.call('INCRBY', KEYS[2], qty)
redis.call('HINCRBY', KEYS[4], holder, qty)
redis.call('HSET', KEYS[1], 'status', 'paid', 'charge', charge, 'paid_at', now)
redis.call('PEXPIRE', KEYS[1], keep_ms)
local open = redis.call('GET', KEYS[7])
if open and string.sub(open, 1, #token + 1) == token .. '|' then redis.call('DEL', KEYS[7]) end
redis.call('HSET', KEYS[6], charge, 'granted||' .. qty .. '|' .. order.amount .. '|' .. payer .. gift_suffix)
count_money(KEYS[8], date, {{'sold', qty}, {'stars', order.amount}, {'purchases', 1}})
count_money(KEYS[8], hour, {{'purchases', 1}})
return {'granted', '', qty, order.amount, '0'}
