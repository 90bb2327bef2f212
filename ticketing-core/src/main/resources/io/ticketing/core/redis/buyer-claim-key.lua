-- Binds one of the buyer's idempotency keys to the event it is first used on, for good. ARGV: the key, the
-- event id. Returns the event id the key is bound to (the given one, unless an earlier request bound it).
local k = U .. 'idem:' .. ARGV[1]
local bound = redis.call('GET', k)
if bound then return bound end
redis.call('SET', k, ARGV[2])
return ARGV[2]
