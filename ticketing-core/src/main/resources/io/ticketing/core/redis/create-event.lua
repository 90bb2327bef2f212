-- Creates one event with every seat available. ARGV: the number n of hash arguments, then n arguments
-- (field, value, ...) of the event hash, then the number of subsections (blocks) and the seats per block.
-- Checks before it writes, so it either writes everything or nothing.
if redis.call('EXISTS', EV) == 1 then return err('conflict', 'event keys exist already') end
local n = tonumber(ARGV[1])
local fields = {}
for i = 2, n + 1 do fields[#fields + 1] = ARGV[i] end
local blocks = tonumber(ARGV[n + 2])
local size = tonumber(ARGV[n + 3])
redis.call('HSET', EV, unpack(fields))
local seats = string.rep('a', size)
redis.call('SET', CNT, string.rep(string.format('%010d%010d%010d%010d', size, 0, 0, 0), blocks))
load_event()
local runs = string.rep(encode_mask(run_mask(string.rep('a', E.cols))), E.rows)
for k = 0, blocks - 1 do
  redis.call('SET', seats_key(k), seats)
  redis.call('SET', runs_key(k), runs)
end
log_change()
return {'ok'}
