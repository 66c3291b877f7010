-- Finishes an arcade run once: checks its duration and score, then awards gems and keeps the
-- best score. The run id is the idempotency key (a run finishes at most once).
-- KEYS: run, state, ledger
-- ARGV: now, score, early slack ms, late grace ms, gems per 100 points, user
-- Returns {verdict, energy, energy_at, gems, mined, depth, ver, best, gems awarded, max score,
-- new best (0/1)};
-- verdict 'ok' | 'unknown_run' | 'already_finished' | 'too_early' | 'expired' | 'impossible'.
local now, score = tonumber(ARGV[1]), tonumber(ARGV[2])
local function reply(verdict, awarded, max, new_best)
  local answer = player_reply(verdict, KEYS[2])
  answer[#answer + 1] = redis.call('HGET', KEYS[2], 'best_score') or '0'
  answer[#answer + 1] = tostring(awarded or 0)
  answer[#answer + 1] = tostring(max or 0)
  answer[#answer + 1] = new_best and '1' or '0'
  return answer
end
if redis.call('EXISTS', KEYS[1]) == 0 then return reply('unknown_run') end
local run = hash(KEYS[1])
if run.finished ~= '0' then return reply('already_finished') end
local length = tonumber(run.seconds) * 1000
local elapsed = now - tonumber(run.started_at)
if elapsed < length - tonumber(ARGV[3]) then return reply('too_early') end
if elapsed > length + tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[1], 'finished', 1, 'verdict', 'expired')
  return reply('expired')
end
if score < 0 or score > tonumber(run.max_score) then
  redis.call('HSET', KEYS[1], 'finished', 1, 'verdict', 'impossible', 'score', score)
  log(KEYS[3], now, {event = 'impossible_score', score = score, max = tonumber(run.max_score)})
  return reply('impossible', 0, run.max_score)
end
local awarded = math.floor(score * tonumber(ARGV[5]) / 100)
redis.call('HSET', KEYS[1], 'finished', 1, 'verdict', 'ok', 'score', score, 'awarded', awarded)
redis.call('HINCRBY', KEYS[2], 'gems', awarded)
local best = tonumber(redis.call('HGET', KEYS[2], 'best_score') or '0')
local new_best = score > best
if new_best then redis.call('HSET', KEYS[2], 'best_score', score) end
log(KEYS[3], now, {event = 'run', score = score, awarded = awarded})
changed(KEYS[2], ARGV[6])
return reply('ok', awarded, run.max_score, new_best)
