-- held or confirmed -> cancelled (a refund while the event is not over). ARGV: reservation id, now.
local rid, now = ARGV[1], ARGV[2]
local r = reservation(rid)
if not r then return err('not_found', 'does not exist') end
if r[3] == 'cancelled' then return err('conflict', 'is already cancelled') end
if r[3] == 'expired' then return err('conflict', 'has expired; its seats are released') end
if r[3] == 'confirmed' then
  local status = redis.call('HGET', EV, 'status')
  if status == 'ended' or status == 'completed' then
    return err('conflict', 'belongs to an event that is ' .. status .. '; refunds are closed')
  end
end
release(rid, r, 'cancelled', 'ticket.released', 'buyer:' .. r[2], now)
return {'ok', r, stats()}
