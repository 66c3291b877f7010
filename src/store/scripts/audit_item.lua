#!lua flags=no-writes
-- The audit's snapshot of one item, read in one script so it is consistent: units sold, units
-- owned per player, and the item side of every charge. Read-only.
-- KEYS: sold, owned, charges
-- Returns {sold, owned (user, units, ...), charges (charge, record, ...)}.
return {redis.call('GET', KEYS[1]) or '0', redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3])}
