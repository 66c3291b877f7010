-- Records the names a player goes by in their state: `name` (their Telegram first name, for
-- leaderboards) and `username` (their @username, none when they have none).
-- KEYS: state
-- Returns the username held before when it changed ('' for none), or false when it did not.
local name, username = ARGV[1], ARGV[2]
local before = redis.call('HGET', KEYS[1], 'username') or ''
redis.call('HSET', KEYS[1], 'name', name)
if username == '' then redis.call('HDEL', KEYS[1], 'username') else redis.call('HSET', KEYS[1], 'username', username) end
if string.lower(before) == string.lower(username) then return false end
return before
