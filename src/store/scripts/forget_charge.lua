-- Forgets the item side's record of a charge that a false claim made (the Star ledger shows
-- another payer), once that claim was voided and its units released, so the real payer's
-- payment is confirmed afresh. Never forgets a charge still counted as sold.
-- KEYS: charges
-- ARGV: charge, false payer
-- Returns 1 when forgotten, 0 otherwise.
local charge, false_payer = ARGV[1], ARGV[2]
local record = redis.call('HGET', KEYS[1], charge)
if not record then return 0 end
local verdict, payer = string.match(record, '^(%a+)|[^|]*|%d+|%d+|(%d+)')
if payer ~= false_payer or verdict == 'granted' then return 0 end
redis.call('HDEL', KEYS[1], charge)
return 1
