-- Decides one pre-checkout query and, when it is approved, holds the units for the payment.
-- KEYS: order, sold, holds, owned, uholds(holder: the payer, or a gift's recipient)
-- ARGV: ..., recipient ('' unless the payload names a gift's)
-- Returns 'ok' or the reason for refusing.
local now = tonumber(ARGV[1])
local payer, currency, amount = ARGV[2], ARGV[3], ARGV[4]
local stock, max_per_player, permanent = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7] == '1'
local hold_ms, token, keep_ms = tonumber(ARGV[8]), ARGV[9], tonumber(ARGV[10])
local recipient = ARGV[11] or ''
local holder = recipient ~= '' and recipient or payer

local order, why = check_order(KEYS[1], payer, currency, amount, recipient)
if why then return why end
if now > tonumber(order.expires_at) then return 'expired' end

local member = token .. '|' .. order.qty
local until_ms = now + hold_ms
local held = redis.call('ZSCORE', KEYS[3], member)
if not (held and tonumber(held) > now) then
  why = blocked(KEYS[2], KEYS[3], KEYS[4], KEYS[5], holder, tonumber(order.qty), now, stock, max_per_player, permanent)
  if why then return why end
end
-- New hold, or a repeated pre-checkout of the same order renewing its own hold.
redis.call('ZADD', KEYS[3], until_ms, member)
redis.call('ZADD', KEYS[5], until_ms, member)
redis.call('PEXPIRE', KEYS[5], hold_ms * 2)
redis.call('HSET', KEYS[1], 'hold_until', until_ms)
redis.call('PEXPIRE', KEYS[1], keep_ms)
return 'ok'
