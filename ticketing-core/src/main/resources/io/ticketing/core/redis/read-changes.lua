-- The event's changes after version ARGV[1], at most ARGV[2] of them: {current version, 'ok', entries} (see
-- LOG), {current version, 'expired'} if the first change after ARGV[1] is no longer kept, or false if there is
-- no event.
if redis.call('EXISTS', EV) == 0 then return false end
local since, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local version = tonumber(redis.call('HGET', EV, 'version'))
if since >= version then return {version, 'ok', {}} end
local first = redis.call('LINDEX', LOG, 0)
local first_version = first and tonumber(string.match(first, '^(%d+)')) or version + 1
if since + 1 < first_version then return {version, 'expired'} end
local from = since + 1 - first_version
return {version, 'ok', redis.call('LRANGE', LOG, from, from + limit - 1)}
