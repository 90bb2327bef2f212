-- The event's statistics without subsections: its scalar fields (see stats), or false.
local e = redis.call('HMGET', EV, 'uid', 'status', 'version', 'lt', 'la', 'ls', 'lat', 'rem', 'alc', 'cnf', 'total')
if not e[1] then return false end
return e
