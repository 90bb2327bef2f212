-- Takes the next event id and lists it. ARGV: seller, the sweep's first look at it in microseconds. Returns the id, or
-- false if the store's marker is missing (the data was lost or flushed since this node started).
if redis.call('EXISTS', SCHEMA) == 0 then return false end
local id = redis.call('INCR', G .. 'event-id')
redis.call('ZADD', EVENTS, id, id)
redis.call('ZADD', seller_key(ARGV[1]), id, id)
redis.call('ZADD', DUE, ARGV[2], id)
return id
