-- A running pass's gems of the day, once per UTC day: only while the pass runs (`pass:<id>` in
-- the state hash is after `now`), added to the player's gems and written to their ledger.
-- KEYS: state, ledger
-- ARGV: now, pass id, gems, day (UTC day number), user
-- Returns {verdict, gems now}: 'claimed', 'already' (claimed today), 'ended' (no pass running).
local now, pass, gems, day, user = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local state = hash(KEYS[1])
local held = state.gems or '0'
if tonumber(state['pass:' .. pass] or 0) <= now then return {'ended', held} end
if state['pass_gems_day:' .. pass] == day then return {'already', held} end
local total = redis.call('HINCRBY', KEYS[1], 'gems', gems)
redis.call('HSET', KEYS[1], 'pass_gems_day:' .. pass, day)
log(KEYS[2], now, {event = 'pass_gems', pass = pass, gems = gems})
changed(KEYS[1], user)
return {'claimed', tostring(total)}
