-- After a sweep of event ARGV[1] that found score ARGV[2]: the next look at ARGV[3] ('' to unlist it, for an
-- event that is over and has no holds). A hold made meanwhile may have lowered the score; then the lower
-- one stays.
local current = redis.call('ZSCORE', DUE, ARGV[1])
if not current then return 0 end
local unchanged = tonumber(current) == tonumber(ARGV[2])
if ARGV[3] == '' then
  if unchanged then redis.call('ZREM', DUE, ARGV[1]) end
elseif unchanged or tonumber(ARGV[3]) < tonumber(current) then
  redis.call('ZADD', DUE, ARGV[3], ARGV[1])
end
return 1
