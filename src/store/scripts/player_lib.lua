-- Helpers shared by the player-slot scripts (prepended to each of them at load time).

-- Parses `item=qty,@gems=n,...` into a list of {item, qty}.
local function units(text)
  local list = {}
  for item, qty in string.gmatch(text or '', '(@?[%w_]+)=(%d+)') do
    list[#list + 1] = {item, tonumber(qty)}
  end
  return list
end

-- Where a unit lives: inventory items in the inventory hash, `@field` units (gems from a gem
-- pack) as a field of the player's state hash.
local function unit_place(k_inv, k_state, item)
  if string.sub(item, 1, 1) == '@' then return k_state, string.sub(item, 2) end
  return k_inv, item
end

local function held(k_inv, k_state, item)
  local key, field = unit_place(k_inv, k_state, item)
  return tonumber(redis.call('HGET', key, field) or '0')
end

-- Adds (or with a negative n takes) units; an inventory entry at zero is removed.
local function add_units(k_inv, k_state, item, n)
  local key, field = unit_place(k_inv, k_state, item)
  local now_held = redis.call('HINCRBY', key, field, n)
  if key == k_inv and now_held <= 0 then redis.call('HDEL', key, field) end
end

local function log(key, now, entry)
  entry.at = now
  redis.call('RPUSH', key, cjson.encode(entry))
end

-- Every change to a player is announced so that other processes refresh their copy.
-- The message is `<user>:<version>`, so a process whose copy is already that new skips it.
local function announce(user, ver)
  redis.call('PUBLISH', 'starmine:players', user .. ':' .. string.format('%d', ver))
end

-- A player's first change (version 1) also marks their books as kept from the start
-- (`audit_since` = 0): the audit derives them from zero; see audit_open.lua for older players.
local function changed(k_state, user)
  local ver = redis.call('HINCRBY', k_state, 'ver', 1)
  if ver == 1 then redis.call('HSETNX', k_state, 'audit_since', 0) end
  announce(user, ver)
end

