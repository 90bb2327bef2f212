-- The event's changes after version ARGV[1], at most ARGV[2] of them: {current version, 'ok', entries} (see
-- LOG), {current version, 'expired'} if the first change after ARGV[1] is no longer kept, or false if there is
-- no event. The kept changes are the last 'logmax' ones (the list may hold a few older ones: see log_change).
local fields = redis.call('HMGET', EV, 'version', 'logmax')
if not fields[1] then return false end
local since, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local version, keep = tonumber(fields[1]), tonumber(fields[2] or 10000)
if since >= version then return {version, 'ok', {}} end
local first = redis.call('LINDEX', LOG, 0)
local first_version = first and tonumber(string.match(first, '^(%d+)')) or version + 1
if since + 1 < math.max(first_version, version - keep + 1) then return {version, 'expired'} end
local from = since + 1 - first_version
return {version, 'ok', redis.call('LRANGE', LOG, from, from + limit - 1)}
