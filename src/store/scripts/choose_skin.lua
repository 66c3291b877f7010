-- The player's choice of arcade skin ('' = none: the automatic one). Whether the player may
-- choose it is checked by the caller against the catalog; a skin they no longer own is simply
-- not used.
-- KEYS: state
-- ARGV: skin, user
local skin, user = ARGV[1], ARGV[2]
if skin == '' then
  redis.call('HDEL', KEYS[1], 'skin')
else
  redis.call('HSET', KEYS[1], 'skin', skin)
end
changed(KEYS[1], user)
return 1
