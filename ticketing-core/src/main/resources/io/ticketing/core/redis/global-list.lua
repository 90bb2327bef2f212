-- Up to ARGV[3] event ids below ARGV[2], highest first, of every seller ('' in ARGV[1]) or of one.
local key = ARGV[1] == '' and EVENTS or seller_key(ARGV[1])
return redis.call('ZREVRANGEBYSCORE', key, '(' .. ARGV[2], '-inf', 'LIMIT', 0, tonumber(ARGV[3]))
