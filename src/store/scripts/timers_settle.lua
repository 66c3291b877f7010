-- Settles a claimed timer: the player's next due moment replaces the claim, or the entry goes
-- when nothing is pending. If a mutation moved the entry since the claim (its score is no longer
-- the claim's), the entry is left as it is, or moved earlier when the next moment is earlier.
-- KEYS: timers:due
-- ARGV: user, claimed score, next due ms ('' = none)
local user, claimed, next_due = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local score = redis.call('ZSCORE', KEYS[1], user)
if score and tonumber(score) == claimed then
  if next_due then redis.call('ZADD', KEYS[1], next_due, user) else redis.call('ZREM', KEYS[1], user) end
elseif next_due then
  redis.call('ZADD', KEYS[1], 'LT', next_due, user)
end
return 1
