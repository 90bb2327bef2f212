-- Prepended to reserve.lua where the buyer's keys and the event's are on one server (no cluster): lists the
-- reservation in the buyer's keys first, as buyer-add-reservation.lua does, in the same script. Takes its own
-- arguments off the front of ARGV: the buyer's key prefix, the reservation's creation in microseconds, the event
-- id; reserve.lua's arguments follow. Returns {'bound', event id} if the idempotency key is bound to another
-- event (nothing written), else what reserve.lua returns.
local buyer_prefix, listed_at, event_id = table.remove(ARGV, 1), table.remove(ARGV, 1), table.remove(ARGV, 1)
local bound = list_reservation(buyer_prefix, ARGV[1], listed_at, ARGV[3], event_id)
if bound ~= event_id then return {'bound', bound} end
