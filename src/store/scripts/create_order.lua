-- Opens an order for one player and one item, or re-offers the player's open one.
-- KEYS: sold, holds, owned, uholds(user), open(user), order(new token), the player's window of
--       buys of this item
-- ARGV: now, token, user, item, qty, unit price, catalog version, order ttl ms, keep ms,
--       stock, max per player, permanent(0/1), buys per minute (0: not metered), a unique member
-- Returns {'created'|'reopened', token, amount, expires_at}, {'refused', reason} or
-- {'slow_down'} (over the buys per minute: nothing changed).
local now = tonumber(ARGV[1])
local per_minute = tonumber(ARGV[13])
if per_minute > 0 and not metered(KEYS[7], now, 60000, per_minute, ARGV[14]) then
  return {'slow_down'}
end
local qty = tonumber(ARGV[5])
local why = blocked(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[3], qty, now,
  tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12] == '1')
if why then return {'refused', why} end

local open = redis.call('GET', KEYS[5])
if open then
  local token, amount, expires = string.match(open, '^([^|]+)|(%d+)|(%d+)$')
  -- Re-offer the open invoice while it stays payable for at least another minute.
  if token and tonumber(expires) > now + 60000 then
    return {'reopened', token, amount, expires}
  end
end

local ttl = tonumber(ARGV[8])
local expires = now + ttl
local amount = qty * tonumber(ARGV[6])
redis.call('HSET', KEYS[6], 'user', ARGV[3], 'item', ARGV[4], 'qty', qty, 'price', ARGV[6],
  'amount', amount, 'version', ARGV[7], 'created_at', now, 'expires_at', expires, 'status', 'open')
redis.call('PEXPIRE', KEYS[6], ttl + tonumber(ARGV[9]))
redis.call('SET', KEYS[5], ARGV[2] .. '|' .. amount .. '|' .. expires, 'PX', ttl)
return {'created', ARGV[2], tostring(amount), tostring(expires)}
