-- A sliding-window rate limit that counts only served requests, so a player who keeps flooding
-- still gets `limit` requests served in every window (prepended to the scripts that meter a
-- call in the slot they run in anyway, saving a round trip of its own).
-- Served: true (and counted); false: the caller must slow down, nothing counted.
local function metered(k_window, now, window, limit, member)
  redis.call('ZREMRANGEBYSCORE', k_window, '-inf', now - window)
  if redis.call('ZCARD', k_window) >= limit then return false end
  redis.call('ZADD', k_window, now, member)
  redis.call('PEXPIRE', k_window, window)
  return true
end
