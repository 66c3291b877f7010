-- The player side of a pass payment, idempotent by charge id: records the payment (one period)
-- and runs the pass to the end of the period paid (`pass:<id>` in the state hash, an expiry in
-- ms), never shortening it, so a renewal delivered late, twice or after a newer one changes
-- nothing. The pass hash keeps the first and the latest charge (editUserStarSubscription names
-- the subscription by one of them; see domain::pass::subscription_charge).
-- KEYS: inventory, payment, payments, ledger, state, boosts, pass
-- ARGV: now, charge, pass id, amount, paid until (ms), user, first (1: is_first_recurring)
-- Returns {1, state, inventory, boosts} when recorded now (flat HGETALL replies, for the game
-- loop's copy), {0} for a repeat.
local now = tonumber(ARGV[1])
local charge, pass, amount, paid_until, user = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6]
local first = ARGV[7] == '1'

if redis.call('EXISTS', KEYS[2]) == 1 then return {0} end
local field = 'pass:' .. pass
local before = tonumber(redis.call('HGET', KEYS[5], field) or '0')
-- The period counts from its payment or the end of the one before, whichever is later; what it
-- adds to the pass (`pass_added`, ms) is what a refund of it takes back (begin_refund.lua).
local start = math.max(before, now)
local added = math.max(0, paid_until - start)
redis.call('HSET', KEYS[2], 'charge', charge, 'item', pass, 'qty', 1, 'amount', amount, 'status', 'paid',
  'paid_at', now, 'grants', '', 'counted', 1, 'pass_start', start, 'pass_until', paid_until, 'pass_added', added)
redis.call('ZADD', KEYS[3], now, charge)
if paid_until > before then redis.call('HSET', KEYS[5], field, paid_until) end
if first then
  -- A new subscription (perhaps after an earlier one ended): it names itself, and it renews.
  redis.call('HSET', KEYS[7], 'first_charge', charge, 'stopped_by_bot', 0)
else
  redis.call('HSETNX', KEYS[7], 'first_charge', charge)
end
if paid_until >= tonumber(redis.call('HGET', KEYS[7], 'latest_until') or '0') then
  redis.call('HSET', KEYS[7], 'latest_charge', charge, 'latest_until', paid_until)
end
log(KEYS[4], now, {event = 'grant', charge = charge, item = pass, amount = tonumber(amount), units = ''})
changed(KEYS[5], user)
return {1, redis.call('HGETALL', KEYS[5]), redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[6])}
