-- Records the start of an arcade run, so any process can finish it. A player has one open run:
-- starting one closes the previous one without reward (a closed tab locks nobody out).
-- KEYS: run, state, the player's API call window
-- ARGV: now, seconds, max score, score percent, skin, keep ms, sources (see run_ceiling), run id,
--       the key of the previous run without its id (same slot: '<player>:run:'),
--       API calls per minute, a unique member for the window
-- Returns 1 (0 if a run with this id exists already, -1 if the player must slow down: nothing
-- changed).
if not metered(KEYS[3], tonumber(ARGV[1]), 60000, tonumber(ARGV[10]), ARGV[11]) then return -1 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local previous = redis.call('HGET', KEYS[2], 'open_run')
if previous then
  local old = ARGV[9] .. previous
  if redis.call('HGET', old, 'finished') == '0' then
    redis.call('HSET', old, 'finished', 1, 'verdict', 'replaced')
  end
end
redis.call('HSET', KEYS[1], 'started_at', ARGV[1], 'seconds', ARGV[2], 'max_score', ARGV[3],
  'score_percent', ARGV[4], 'skin', ARGV[5], 'sources', ARGV[7], 'finished', 0)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
redis.call('HSET', KEYS[2], 'open_run', ARGV[8])
return 1
