-- The Star ledger shows this payment: marks its record verified (never creates one).
-- KEYS: payment
-- ARGV: now
-- Returns 1 when the record exists (verified now or before), 0 when there is none.
local now = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSETNX', KEYS[1], 'verified_at', now)
return 1
