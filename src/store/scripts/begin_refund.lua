-- First step of every refund: revokes what remains of the purchase (never below zero,
-- shortfall recorded) and marks it refund_pending. The player refund policy is decided before,
-- in Rust (`domain::refund::player_refund`) on the player's holdings at version `ver`; this
-- script only checks that nothing changed since (a version check, not a second copy of the rule).
-- KEYS: inventory, payment, ledger, state
-- ARGV: now, by ('player' | 'admin' | 'dispute' | 'automatic' | 'void'), expected player version ('' =
--       none), user
-- Returns {state, amount, item, qty, counted, revoked, payer} (payer: a gift's buyer, else '') where state is 'pending' (revoked now or
-- earlier: go on and call refundStarPayment), 'already' (refunded), 'unknown', or 'changed'
-- (the player changed since the policy looked: look again) or 'voided' (the Star ledger never
-- showed the payment: there is nothing to refund).
local now, by, expected_ver, user = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
if redis.call('EXISTS', KEYS[2]) == 0 then return {'unknown'} end
local pay = hash(KEYS[2])
local function answer(state)
  local current = redis.call('HGET', KEYS[2], 'revoked') or ''
  return {state, pay.amount, pay.item, pay.qty, pay.counted, current, pay.payer or ''}
end
if pay.status == 'refunded' then return answer('already') end
if pay.status == 'voided' then return {'voided'} end
if pay.status == 'refund_pending' then return answer('pending') end

if expected_ver ~= '' and (redis.call('HGET', KEYS[4], 'ver') or '0') ~= expected_ver then return {'changed'} end

local grants = units(pay.grants)

local revoked, shortfall = {}, {}
for _, unit in ipairs(grants) do
  local take = math.max(0, math.min(held(KEYS[1], KEYS[4], unit[1]), unit[2]))
  if take > 0 then add_units(KEYS[1], KEYS[4], unit[1], -take) end
  if take > 0 then revoked[#revoked + 1] = unit[1] .. '=' .. take end
  if take < unit[2] then shortfall[#shortfall + 1] = unit[1] .. '=' .. (unit[2] - take) end
end
-- A Miner's Pass period (grant_pass.lua) ends at once: the pass loses the time it added.
local pass_taken = tonumber(pay.pass_added or '0')
if pass_taken > 0 then
  redis.call('HINCRBY', KEYS[4], 'pass:' .. pay.item, -pass_taken)
  redis.call('HSET', KEYS[2], 'pass_revoked', pass_taken)
end
redis.call('HSET', KEYS[2], 'status', 'refund_pending', 'refund_by', by,
  'revoked', table.concat(revoked, ','), 'shortfall', table.concat(shortfall, ','), 'refund_started_at', now)
log(KEYS[3], now, {event = 'revoke', charge = pay.charge, by = by,
  units = table.concat(revoked, ','), shortfall = table.concat(shortfall, ',')})
changed(KEYS[4], user)
return answer('pending')
