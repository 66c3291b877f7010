#!lua flags=no-writes
-- The audit's snapshot of one player, read in one script so it is consistent: inventory, state,
-- ledger and every payment record (those the payments index names, and any other the caller
-- found in the keyspace). Read-only: the flag makes Redis refuse any write.
-- KEYS: inventory, state, ledger, payments
-- ARGV: the payment key without its charge id ('{p:<user>}:pay:'), then charge ids not in the
--       index
-- Returns {inventory (field, value, ...), state (field, value, ...), ledger lines,
-- {{charge, {field, value, ...}}, ...}}; a charge whose record is gone has an empty list.
local payment_prefix = ARGV[1]
local charges, seen = {}, {}
local function add(charge)
  if not seen[charge] then
    seen[charge] = true
    charges[#charges + 1] = charge
  end
end
for _, charge in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do add(charge) end
for i = 2, #ARGV do add(ARGV[i]) end
local payments = {}
for _, charge in ipairs(charges) do
  payments[#payments + 1] = {charge, redis.call('HGETALL', payment_prefix .. charge)}
end
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('LRANGE', KEYS[3], 0, -1),
  payments}
