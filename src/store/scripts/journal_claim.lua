-- Claims journaled updates that are due for a replay, so that of several processes only one
-- replays each entry per period: each claimed entry's next replay moves back by a delay that
-- doubles with every attempt (at most `max delay`).
-- KEYS: the journal's updates hash (update_id -> raw JSON), its due set (update_id -> ms),
--       its attempts hash (update_id -> replays so far)
-- ARGV: now ms, first delay ms, max delay ms, max entries
-- Returns a flat list: update_id, raw JSON, attempt number, ...
local now = tonumber(ARGV[1])
local first = tonumber(ARGV[2])
local max_delay = tonumber(ARGV[3])
local max_entries = tonumber(ARGV[4])
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, max_entries)
local out = {}
for _, id in ipairs(due) do
  local raw = redis.call('HGET', KEYS[1], id)
  if raw then
    local attempt = redis.call('HINCRBY', KEYS[3], id, 1)
    local delay = math.min(first * 2 ^ math.min(attempt, 20), max_delay)
    redis.call('ZADD', KEYS[2], now + delay, id)
    out[#out + 1] = id
    out[#out + 1] = raw
    out[#out + 1] = attempt
  else
    -- Finished between the range and here cannot happen in a script; a due entry without a
    -- body is a leftover of an older version: drop it.
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
  end
end
return out
