-- ARGV: block. The event's uid and the block's seats, one byte each (a, r, s), or false.
local uid = redis.call('HGET', EV, 'uid')
if not uid then return false end
return {uid, redis.call('GET', seats_key(ARGV[1])) or ''}
