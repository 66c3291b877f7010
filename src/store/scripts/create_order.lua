-- Opens an order for one player and one item, or re-offers the player's open one.
-- A gift's order is the buyer's (`user`) for a recipient (`for`): stock, limits and ownership
-- count for the recipient, and the open order is the buyer's for that recipient.
-- KEYS: sold, holds, owned, uholds(holder), open(user, recipient), order(new token), the
--       player's window of buys of this item
-- ARGV: now, token, user, item, qty, unit price, catalog version, order ttl ms, keep ms,
--       stock, max per player, permanent(0/1), buys per minute (0: not metered), a unique member,
--       recipient ('' when the buyer buys for themselves)
-- Returns {'created'|'reopened', token, amount, expires_at}, {'refused', reason} or
-- {'slow_down'} (over the buys per minute: nothing changed).
local now, token, user, item, qty, price = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local version, ttl, keep_ms = ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9])
local stock, max_per_player, permanent = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12] == '1'
local per_minute, member, recipient = tonumber(ARGV[13]), ARGV[14], ARGV[15] or ''
local holder = recipient ~= '' and recipient or user
if per_minute > 0 and not metered(KEYS[7], now, 60000, per_minute, member) then
  return {'slow_down'}
end
local why = blocked(KEYS[1], KEYS[2], KEYS[3], KEYS[4], holder, qty, now, stock, max_per_player, permanent)
if why then return {'refused', why} end

local open = redis.call('GET', KEYS[5])
if open then
  local open_token, amount, expires = string.match(open, '^([^|]+)|(%d+)|(%d+)$')
  -- Re-offer the open invoice while it stays payable for at least another minute.
  if open_token and tonumber(expires) > now + 60000 then
    return {'reopened', open_token, amount, expires}
  end
end

local expires = now + ttl
local amount = qty * price
redis.call('HSET', KEYS[6], 'user', user, 'item', item, 'qty', qty, 'price', price,
  'amount', amount, 'version', version, 'created_at', now, 'expires_at', expires, 'status', 'open')
if recipient ~= '' then redis.call('HSET', KEYS[6], 'for', recipient) end
redis.call('PEXPIRE', KEYS[6], ttl + keep_ms)
redis.call('SET', KEYS[5], token .. '|' .. amount .. '|' .. expires, 'PX', ttl)
return {'created', token, tostring(amount), tostring(expires)}
