-- Expires up to ARGV[3] holds whose expiry is not after now (ARGV[1], ARGV[2] in microseconds), oldest first.
-- Returns 'gone' for an unknown event, else each expired reservation with its statistics, and when the sweep
-- should look at the event next: when its next hold lapses, else at ARGV[4] (now + the idle recheck), or
-- never ('') once the event is over and has no holds.
local now = ARGV[1]
if not load_event() then return {'gone'} end
local expired = {}
for _, rid in ipairs(redis.call('ZRANGEBYSCORE', HOLDS, '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))) do
  local r = reservation(rid, E.uid)
  if r and r[5] > now then break end -- later within the same microsecond
  if r then
    release(rid, r, 'expired', 'ticket.expired', 'system', now)
    expired[#expired + 1] = {r, stats()}
  else
    redis.call('ZREM', HOLDS, rid)
  end
end
local head = redis.call('ZRANGE', HOLDS, 0, 0, 'WITHSCORES')
local next = head[2] or ((E.status == 'ended' or E.status == 'completed') and '' or ARGV[4])
redis.call('HSET', EV, 'sched', next == '' and ARGV[4] or next)
return {'ok', expired, next}
