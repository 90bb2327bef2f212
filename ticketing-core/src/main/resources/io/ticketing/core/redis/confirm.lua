-- held -> confirmed. ARGV: reservation id, '1' and a payment reference or '0' and '', now.
local rid, now = ARGV[1], ARGV[4]
local r = load_event() and reservation(rid, E.uid)
if not r then return err('not_found', 'does not exist') end
if r[3] == 'confirmed' then return {'same', r} end
if r[3] == 'cancelled' then return err('conflict', 'was cancelled') end
if r[3] == 'expired' or r[5] <= now then return err('reservation_expired', 'expired', r[5]) end
local seats = parse_seats(r[4])
move(seats, 'r', 's')
redis.call('ZREM', HOLDS, rid)
r[3] = 'confirmed'
if ARGV[2] == '1' then
  redis.call('HSET', res_key(rid), 'status', 'confirmed', 'pay', ARGV[3])
  r[7] = ARGV[3]
else
  redis.call('HSET', res_key(rid), 'status', 'confirmed')
end
bump('ticket.confirmed', 'buyer:' .. r[2], #seats, now)
return {'ok', r, stats()}
