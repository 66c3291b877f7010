-- Forgets the item side's record of a charge that a false claim made (the Star ledger shows
-- another payer), once that claim was voided and its units released, so the real payer's
-- payment is confirmed afresh. Never forgets a charge still counted as sold.
-- KEYS: charges
-- ARGV: charge, false payer
-- Returns 1 when forgotten, 0 otherwise.
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then return 0 end
local verdict, payer = string.match(record, '^(%a+)|.*|(%d+)$')
if payer ~= ARGV[2] or verdict == 'granted' then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
