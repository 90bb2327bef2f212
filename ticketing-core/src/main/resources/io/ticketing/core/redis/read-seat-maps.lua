-- ARGV: blocks. The event's statistics (see stats) and each block's seats, one byte each (a, r, s), in the
-- order of ARGV, all of one version; or false if there is no event.
if not load_event() then return false end
local blocks = {}
for i, k in ipairs(ARGV) do blocks[i] = redis.call('GET', seats_key(k)) or '' end
return {stats(), blocks}
