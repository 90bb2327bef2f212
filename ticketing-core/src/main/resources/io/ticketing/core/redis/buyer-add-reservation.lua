-- Adds a reservation about to be made to the buyer's list ('reservations': ids scored by their creation in
-- epoch microseconds, the newest 10,000 kept), after binding its idempotency key, if it has one, to the event
-- it is first used on, for good. ARGV: reservation id, its creation in microseconds, the key or '', the event
-- id. Returns the event id the key is bound to (the given one, unless an earlier request bound it: then the
-- reservation is not added). An id whose reservation is then not made is dropped when a listing meets it.
if ARGV[3] ~= '' then
  local k = U .. 'idem:' .. ARGV[3]
  local bound = redis.call('GET', k)
  if bound and bound ~= ARGV[4] then return bound end
  if not bound then redis.call('SET', k, ARGV[4]) end
end
local list = U .. 'reservations'
redis.call('ZADD', list, ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYRANK', list, 0, -10001)
return ARGV[4]
