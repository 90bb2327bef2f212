-- Drops ids from the buyer's list whose reservations are gone (forgotten, or never made). ARGV: the ids.
return redis.call('ZREM', U .. 'reservations', unpack(ARGV))
