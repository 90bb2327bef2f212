-- A hold of event ARGV[1] that expires at ARGV[2] (microseconds) became its earliest: look at it by then.
local current = redis.call('ZSCORE', DUE, ARGV[1])
if not current or tonumber(ARGV[2]) < tonumber(current) then redis.call('ZADD', DUE, ARGV[2], ARGV[1]) end
return 1
