-- Helpers shared by the item-slot scripts (prepended to each of them at load time).

-- Drops expired holds from a holds sorted set (members `<token>|<qty>`, score = expiry ms)
-- and returns the units the remaining holds keep.
local function held_units(key, now)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local total = 0
  for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    total = total + tonumber(string.match(member, '|(%d+)$'))
  end
  return total
end

-- Units of a limited item (stock >= 0) still for sale: stock - sold - held.
local function units_left(k_sold, k_holds, now, stock)
  return stock - tonumber(redis.call('GET', k_sold) or '0') - held_units(k_holds, now)
end

-- Why `qty` more units of this item may not go to `user` now, or nil when nothing blocks it.
-- stock < 0 and max < 0 mean unlimited; a permanent item is owned at most once.
local function blocked(k_sold, k_holds, k_owned, k_uholds, user, qty, now, stock, max, permanent)
  local owned = tonumber(redis.call('HGET', k_owned, user) or '0')
  if permanent and owned > 0 then return 'already_owned' end
  if permanent and (max < 0 or max > 1) then max = 1 end
  if stock >= 0 then
    -- Sold out by sales alone: answered without reading the open holds (a flash sale's
    -- thousands of late queries each cost one GET, not a walk of every hold).
    local unsold = stock - tonumber(redis.call('GET', k_sold) or '0')
    if unsold < qty or unsold - held_units(k_holds, now) < qty then return 'sold_out' end
  end
  if max >= 0 and owned + held_units(k_uholds, now) + qty > max then return 'limit_reached' end
  return nil
end

-- The order checks a pre-checkout and a payment share: the order exists, the payer opened it
-- for the recipient the payload names ('' for themselves), the currency and amount are the
-- invoice's, and it is not paid yet. Returns the order (nil when there is none) and the reason
-- to refuse, or nil.
local function check_order(k_order, payer, currency, amount, recipient)
  if redis.call('EXISTS', k_order) == 0 then return nil, 'unknown_order' end
  local order = hash(k_order)
  if order.user ~= payer then return order, 'not_your_invoice' end
  if (order['for'] or '') ~= (recipient or '') then return order, 'unknown_order' end
  if currency ~= 'XTR' or tonumber(amount) ~= tonumber(order.amount) then return order, 'amount_mismatch' end
  if order.status == 'paid' then return order, 'already_paid' end
  return order, nil
end

-- Adds to the item's money counters (`ItemKeys::money`): `counts` is a list of
-- {figure, amount}, each added to the field `<date>:<figure>` (zeros skipped).
local function count_money(k_money, date, counts)
  for _, count in ipairs(counts) do
    if tonumber(count[2]) ~= 0 then redis.call('HINCRBY', k_money, date .. ':' .. count[1], count[2]) end
  end
end
