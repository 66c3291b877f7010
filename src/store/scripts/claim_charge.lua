-- Claims a charge id for one payer and one invoice payload, across every item and player slot:
-- the first claim wins for good, a repeat of it is let through (a redelivered update, a crash
-- mid-way), and any other claim (the same charge under another payer or another order) is
-- refused. One key, so it runs in any Redis Cluster slot.
-- KEYS: charge owner (`charge:<id>`)
-- ARGV: payer, payload
-- Returns {'ours' | 'foreign', the stored `<payer>|<payload>` ('' when claimed now)}.
local claimant, claimed_payload = ARGV[1], ARGV[2]
local owner = redis.call('GET', KEYS[1])
if not owner then
  redis.call('SET', KEYS[1], claimant .. '|' .. claimed_payload)
  return {'ours', ''}
end
-- Entries written before payloads were kept hold the payer alone.
local payer, payload = string.match(owner, '^(%d+)|?(.*)$')
if payer == claimant and (payload == '' or claimed_payload == '' or payload == claimed_payload) then
  return {'ours', owner}
end
return {'foreign', owner}
