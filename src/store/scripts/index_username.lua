-- Moves a player's entry in the @username index after a rename: the new name (lowercase, none
-- when they dropped it) points to them, and the old one is dropped only while it still points
-- to them (someone may have taken it since).
-- KEYS: usernames
local user, now_name, before = ARGV[1], ARGV[2], ARGV[3]
if before ~= '' and redis.call('HGET', KEYS[1], before) == user then redis.call('HDEL', KEYS[1], before) end
if now_name ~= '' then redis.call('HSET', KEYS[1], now_name, user) end
return 1
