-- Expires up to ARGV[3] holds whose expiry is not after now (ARGV[1], ARGV[2] in microseconds), oldest first.
-- Returns 'gone' for an unknown event, else each expired reservation with its statistics, the score of the
-- next hold (false if none) and the event's status.
local now = ARGV[1]
if redis.call('EXISTS', EV) == 0 then return {'gone'} end
local expired = {}
for _, rid in ipairs(redis.call('ZRANGEBYSCORE', HOLDS, '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))) do
  local r = reservation(rid)
  if r and r[5] > now then break end -- later within the same microsecond
  if r then
    release(rid, r, 'expired', 'ticket.expired', 'system', now)
    expired[#expired + 1] = {r, stats()}
  else
    redis.call('ZREM', HOLDS, rid)
  end
end
local next = redis.call('ZRANGE', HOLDS, 0, 0, 'WITHSCORES')
return {'ok', expired, next[2] or false, redis.call('HGET', EV, 'status')}
