-- Removes every key of the event; returns its seller, or false if there was no event.
local seller = redis.call('HGET', EV, 'seller')
local blocks = tonumber(redis.call('HGET', EV, 'blocks') or 0)
for k = 0, blocks - 1 do redis.call('DEL', seats_key(k), runs_key(k)) end
for _, rid in ipairs(redis.call('SMEMBERS', RIDS)) do redis.call('DEL', res_key(rid)) end
redis.call('DEL', EV, CNT, HOLDS, IDEM, RIDS, BUYERS)
redis.call('DEL', LOG)
return {seller or false}
