-- Reserves one send in every bucket of KEYS (GCRA, the generic cell rate algorithm): each key
-- holds its bucket's theoretical arrival time in ms; ARGV holds, per key, the period between
-- sends and the tolerance (how far ahead of its time a send may go: burst - 1 periods).
-- The send may leave when every bucket allows it; each bucket's time then moves on by one
-- period from there, so later reservations queue up behind it exactly. Redis's clock is the one
-- every process shares. Returns the ms to wait before sending.
local function period(i) return tonumber(ARGV[2 * i - 1]) end
local function tolerance(i) return tonumber(ARGV[2 * i]) end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local at = now
local tats = {}
for i, key in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', key)) or now
  if tat < now then
    tat = now
  end
  tats[i] = tat
  local allowed = tat - tolerance(i)
  if allowed > at then
    at = allowed
  end
end
for i, key in ipairs(KEYS) do
  local tat = math.max(tats[i], at) + period(i)
  redis.call('SET', key, string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
end
return math.ceil(at - now)
