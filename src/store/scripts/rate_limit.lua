-- A sliding-window rate limit that counts only served requests, so a player who keeps
-- flooding still gets `limit` requests served in every window.
-- KEYS: the player's window (sorted set of served request times)
-- ARGV: now ms, window ms, limit, unique member
-- Returns 1 when this request is served, 0 when the player must slow down.
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
