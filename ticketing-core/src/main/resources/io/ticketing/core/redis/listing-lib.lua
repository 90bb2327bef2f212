-- Adds a reservation about to be made to the list of the buyer whose key prefix is u ('reservations': ids scored
-- by their creation in epoch microseconds, the newest 10,000 kept), after binding its idempotency key, if it has
-- one (key ~= ''), to the event it is first used on, for good. Returns the event id the key is bound to: the
-- given one, unless an earlier request bound it elsewhere; then nothing is written. An id whose reservation is
-- then not made is dropped when a listing meets it.
local function list_reservation(u, rid, micros, key, event)
  if key ~= '' then
    local k = u .. 'idem:' .. key
    local bound = redis.call('GET', k)
    if bound and bound ~= event then return bound end
    if not bound then redis.call('SET', k, event) end
  end
  local list = u .. 'reservations'
  redis.call('ZADD', list, micros, rid)
  redis.call('ZREMRANGEBYRANK', list, 0, -10001)
  return event
end
