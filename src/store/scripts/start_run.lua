-- Records the start of an arcade run, so any process can finish it.
-- KEYS: run
-- ARGV: now, seconds, max score, score percent, skin, keep ms
-- Returns 1 (0 if a run with this id exists already).
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'started_at', ARGV[1], 'seconds', ARGV[2], 'max_score', ARGV[3],
  'score_percent', ARGV[4], 'skin', ARGV[5], 'finished', 0)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
return 1
