-- Last step of a refund once refundStarPayment's outcome is known: 'refunded' settles it,
-- 'restore' (a definite refusal) gives back what begin_refund revoked, 'voided' settles a
-- payment the Star ledger never showed (revoked, no Stars to return, never revenue).
-- Idempotent: acts only on a payment still refund_pending.
-- KEYS: inventory, payment, ledger, state
-- ARGV: now, outcome ('refunded' | 'restore' | 'voided'), note, user
-- Returns the status it moved to ('refunded' | 'paid' | 'voided'), 'settled:<status>' when it was not
-- pending (settled earlier), or 'unknown'.
local now, outcome, note, user = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
if redis.call('EXISTS', KEYS[2]) == 0 then return 'unknown' end
local pay = hash(KEYS[2])
if pay.status ~= 'refund_pending' then return 'settled:' .. pay.status end
if outcome == 'refunded' then
  redis.call('HSET', KEYS[2], 'status', 'refunded', 'refunded_at', now)
  log(KEYS[3], now, {event = 'refunded', charge = pay.charge, amount = tonumber(pay.amount), by = pay.refund_by})
  return 'refunded'
end
if outcome == 'voided' then
  redis.call('HSET', KEYS[2], 'status', 'voided', 'voided_at', now, 'note', note)
  log(KEYS[3], now, {event = 'voided', charge = pay.charge, amount = tonumber(pay.amount), note = note})
  return 'voided'
end
for _, unit in ipairs(units(pay.revoked)) do
  add_units(KEYS[1], KEYS[4], unit[1], unit[2])
end
if tonumber(pay.pass_revoked or '0') > 0 then
  redis.call('HINCRBY', KEYS[4], 'pass:' .. pay.item, tonumber(pay.pass_revoked))
  redis.call('HDEL', KEYS[2], 'pass_revoked')
end
redis.call('HSET', KEYS[2], 'status', 'paid')
redis.call('HDEL', KEYS[2], 'refund_by', 'revoked', 'shortfall', 'refund_started_at')
log(KEYS[3], now, {event = 'restore', charge = pay.charge, units = pay.revoked, note = note})
changed(KEYS[4], user)
return 'paid'
