-- The event's statistics (see stats), or false.
if redis.call('EXISTS', EV) == 0 then return false end
return stats()
