-- Claims the players whose timer is due: each is pushed `lease` ms into the future, so of
-- several processes one handles it; the holder settles it with timers_settle.lua.
-- KEYS: timers:due
-- ARGV: now, lease ms, limit
-- Returns a flat list {user, claimed score, ...}.
local now, lease, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)
local claimed = {}
for _, user in ipairs(due) do
  redis.call('ZADD', KEYS[1], now + lease, user)
  claimed[#claimed + 1] = user
  claimed[#claimed + 1] = string.format('%d', now + lease)
end
return claimed
