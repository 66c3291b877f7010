-- Records the start of an arcade run, so any process can finish it. A player has one open run:
-- starting one closes the previous one without reward (a closed tab locks nobody out).
-- KEYS: run, state, the player's API call window
-- ARGV: now, seconds, max score, score percent, skin, keep ms, sources (see run_ceiling), run id,
--       the key of the previous run without its id (same slot: '<player>:run:'),
--       API calls per minute, a unique member for the window
-- Returns 1 (0 if a run with this id exists already, -1 if the player must slow down: nothing
-- changed).
local now, seconds, max_score, score_percent = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local skin, keep_ms, sources = ARGV[5], tonumber(ARGV[6]), ARGV[7]
local run_id, previous_prefix, calls_per_minute, member = ARGV[8], ARGV[9], tonumber(ARGV[10]), ARGV[11]
if not metered(KEYS[3], tonumber(now), 60000, calls_per_minute, member) then return -1 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local previous = redis.call('HGET', KEYS[2], 'open_run')
if previous then
  local old = previous_prefix .. previous
  if redis.call('HGET', old, 'finished') == '0' then
    redis.call('HSET', old, 'finished', 1, 'verdict', 'replaced')
  end
end
redis.call('HSET', KEYS[1], 'started_at', now, 'seconds', seconds, 'max_score', max_score,
  'score_percent', score_percent, 'skin', skin, 'sources', sources, 'finished', 0)
redis.call('PEXPIRE', KEYS[1], keep_ms)
redis.call('HSET', KEYS[2], 'open_run', run_id)
return 1
