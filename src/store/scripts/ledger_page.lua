#!lua flags=no-writes
-- One page of the console's copy of the Star ledger from one of its indexes, newest first: the
-- rows after `before` (a row key; '' for the newest). Read-only, one snapshot, so a row added
-- between two pages shifts nothing (the next page starts after `before` wherever it is now).
-- KEYS: index (sorted set by date), rows (hash)
-- ARGV: before, limit
-- Returns {total in the index, the page's keys, their encoded rows, 1 when older rows follow}. When `before` is no longer
-- kept the page is empty: the bound drops the oldest rows first, so nothing older is kept either.
local total = redis.call('ZCARD', KEYS[1])
local start = 0
if ARGV[1] ~= '' then
  local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
  if not rank then
    return {total, {}, {}, 0}
  end
  start = rank + 1
end
local keys = redis.call('ZREVRANGE', KEYS[1], start, start + tonumber(ARGV[2]) - 1)
local rows = {}
if #keys > 0 then
  rows = redis.call('HMGET', KEYS[2], unpack(keys))
end
local more = 0
if start + #keys < total then
  more = 1
end
return {total, keys, rows, more}
