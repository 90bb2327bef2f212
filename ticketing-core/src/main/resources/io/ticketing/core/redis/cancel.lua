-- held or confirmed -> cancelled (a refund while the event is not over). ARGV: reservation id, now.
local rid, now = ARGV[1], ARGV[2]
local r = load_event() and reservation(rid, E.uid)
if not r then return err('not_found', 'does not exist') end
if r[3] == 'cancelled' then return err('conflict', 'is already cancelled') end
if r[3] == 'expired' then return err('conflict', 'has expired; its seats are released') end
if r[3] == 'confirmed' and (E.status == 'ended' or E.status == 'completed') then
  return err('conflict', 'belongs to an event that is ' .. E.status .. '; refunds are closed')
end
release(rid, r, 'cancelled', 'ticket.released', 'buyer:' .. r[2], now)
return {'ok', r, stats()}
