-- Finishes an arcade run once: checks its duration and score, then awards gems within the
-- player's daily allowance and keeps the best score. The run id is the idempotency key (a run
-- finishes at most once); a run closed because a newer one started is not finished.
-- KEYS: run, state, ledger, inventory, the player's API call window
-- ARGV: now, score, early slack ms, late grace ms, gems per 100 points, user, gems per day,
--       UTC day, API calls per minute, a unique member for the window
-- Returns {verdict, energy, energy_at, gems, mined, depth, ver, best, gems awarded, max score,
-- new best (0/1), gems left today};
-- verdict 'ok' | 'unknown_run' | 'already_finished' | 'replaced' | 'too_early' | 'expired' |
-- 'impossible' | 'slow_down' (over the API limit: nothing looked at or changed).
local now, score, early_slack, late_grace = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local gems_per_100, user, per_day, day = tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7]), ARGV[8]
local calls_per_minute, member = tonumber(ARGV[9]), ARGV[10]
local function left_today()
  if redis.call('HGET', KEYS[2], 'arcade_day') ~= day then return per_day end
  return math.max(0, per_day - tonumber(redis.call('HGET', KEYS[2], 'arcade_gems') or '0'))
end
local function reply(verdict, awarded, max, new_best)
  local answer = player_reply(verdict, KEYS[2])
  answer[#answer + 1] = redis.call('HGET', KEYS[2], 'best_score') or '0'
  answer[#answer + 1] = tostring(awarded or 0)
  answer[#answer + 1] = tostring(max or 0)
  answer[#answer + 1] = new_best and '1' or '0'
  answer[#answer + 1] = string.format('%d', left_today())
  return answer
end
if not metered(KEYS[5], now, 60000, calls_per_minute, member) then return reply('slow_down') end
if redis.call('EXISTS', KEYS[1]) == 0 then return reply('unknown_run') end
local run = hash(KEYS[1])
if run.verdict == 'replaced' then return reply('replaced') end
if run.finished ~= '0' then return reply('already_finished') end
local length = tonumber(run.seconds) * 1000
local elapsed = now - tonumber(run.started_at)
if elapsed < length - early_slack then return reply('too_early') end
local function close()
  if redis.call('HGET', KEYS[2], 'open_run') == run_id_of(KEYS[1]) then redis.call('HDEL', KEYS[2], 'open_run') end
end
if elapsed > length + late_grace then
  redis.call('HSET', KEYS[1], 'finished', 1, 'verdict', 'expired')
  close()
  return reply('expired')
end
-- The ceiling: the lesser of the one at the start and what the tools still owned now allow.
local max = run_ceiling(tonumber(run.max_score), run.sources, function(item)
  return tonumber(redis.call('HGET', KEYS[4], item) or '0') > 0
end)
if score < 0 or score > max then
  redis.call('HSET', KEYS[1], 'finished', 1, 'verdict', 'impossible', 'score', score)
  close()
  log(KEYS[3], now, {event = 'impossible_score', score = score, max = max})
  return reply('impossible', 0, max)
end
local earned = math.floor(score * gems_per_100 / 100)
local awarded = math.min(earned, left_today())
redis.call('HSET', KEYS[1], 'finished', 1, 'verdict', 'ok', 'score', score, 'awarded', awarded)
close()
local today = 0
if redis.call('HGET', KEYS[2], 'arcade_day') == day then
  today = tonumber(redis.call('HGET', KEYS[2], 'arcade_gems') or '0')
end
redis.call('HSET', KEYS[2], 'arcade_day', day, 'arcade_gems', today + awarded)
redis.call('HINCRBY', KEYS[2], 'gems', awarded)
local best = tonumber(redis.call('HGET', KEYS[2], 'best_score') or '0')
local new_best = score > best
if new_best then redis.call('HSET', KEYS[2], 'best_score', score) end
log(KEYS[3], now, {event = 'run', score = score, awarded = awarded, earned = earned})
changed(KEYS[2], user)
return reply('ok', awarded, max, new_best)
