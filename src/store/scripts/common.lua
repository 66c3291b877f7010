-- Helpers every library-using script shares (prepended first, before its slot's library).

-- A hash as a Lua table (field -> value).
local function hash(key)
  local flat = redis.call('HGETALL', key)
  local result = {}
  for i = 1, #flat, 2 do result[flat[i]] = flat[i + 1] end
  return result
end
