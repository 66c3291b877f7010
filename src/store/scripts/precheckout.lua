-- Decides one pre-checkout query and, when it is approved, holds the units for the payment.
-- KEYS: order, sold, holds, owned, uholds(payer)
-- ARGV: now, payer, currency, amount, stock, max per player, permanent(0/1), hold ms, token, keep ms
-- Returns 'ok' or the reason for refusing.
local now = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then return 'unknown_order' end
local order = hash(KEYS[1])
if order.user ~= ARGV[2] then return 'not_your_invoice' end
if ARGV[3] ~= 'XTR' or tonumber(ARGV[4]) ~= tonumber(order.amount) then return 'amount_mismatch' end
if order.status == 'paid' then return 'already_paid' end
if now > tonumber(order.expires_at) then return 'expired' end

local member = ARGV[9] .. '|' .. order.qty
local until_ms = now + tonumber(ARGV[8])
local held = redis.call('ZSCORE', KEYS[3], member)
if not (held and tonumber(held) > now) then
  local why = blocked(KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[2], tonumber(order.qty), now,
    tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7] == '1')
  if why then return why end
end
-- New hold, or a repeated pre-checkout of the same order renewing its own hold.
redis.call('ZADD', KEYS[3], until_ms, member)
redis.call('ZADD', KEYS[5], until_ms, member)
redis.call('PEXPIRE', KEYS[5], tonumber(ARGV[8]) * 2)
redis.call('HSET', KEYS[1], 'hold_until', until_ms)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[10]))
return 'ok'
