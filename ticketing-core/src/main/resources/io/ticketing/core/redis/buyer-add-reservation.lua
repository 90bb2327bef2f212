-- Lists a reservation about to be made (see list_reservation). ARGV: reservation id, its creation in
-- microseconds, the idempotency key or '', the event id. Returns the event id the key is bound to.
return list_reservation(U, ARGV[1], ARGV[2], ARGV[3], ARGV[4])
