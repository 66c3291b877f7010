-- Claims a charge id for one payer and one invoice payload, across every item and player slot:
-- the first claim wins for good, a repeat of it is let through (a redelivered update, a crash
-- mid-way), and any other claim (the same charge under another payer or another order) is
-- refused. One key, so it runs in any Redis Cluster slot.
-- KEYS: charge owner (`charge:<id>`)
-- ARGV: payer, payload
-- Returns {'ours' | 'foreign', the stored `<payer>|<payload>` ('' when claimed now)}.
local owner = redis.call('GET', KEYS[1])
if not owner then
  redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
  return {'ours', ''}
end
-- Entries written before payloads were kept hold the payer alone.
local payer, payload = string.match(owner, '^(%d+)|?(.*)$')
if payer == ARGV[1] and (payload == '' or ARGV[2] == '' or payload == ARGV[2]) then
  return {'ours', owner}
end
return {'foreign', owner}
