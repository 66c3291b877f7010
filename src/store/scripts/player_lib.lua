-- Helpers shared by the player-slot scripts (prepended to each of them at load time).

local function hash(key)
  local flat = redis.call('HGETALL', key)
  local result = {}
  for i = 1, #flat, 2 do result[flat[i]] = flat[i + 1] end
  return result
end

-- Parses `item=qty,item=qty` into a list of {item, qty}.
local function units(text)
  local list = {}
  for item, qty in string.gmatch(text or '', '([%w_]+)=(%d+)') do
    list[#list + 1] = {item, tonumber(qty)}
  end
  return list
end

local function log(key, now, entry)
  entry.at = now
  redis.call('RPUSH', key, cjson.encode(entry))
end
