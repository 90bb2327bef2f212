-- Unlists an event. ARGV: id, seller ('' if unknown).
redis.call('ZREM', EVENTS, ARGV[1])
redis.call('ZREM', DUE, ARGV[1])
if ARGV[2] ~= '' then redis.call('ZREM', seller_key(ARGV[2]), ARGV[1]) end
return 1
