-- A page of the buyer's list, newest first: ARGV: the highest score (creation in microseconds) to include,
-- or '+inf', the offset among those, the count. Returns id, score, id, score, … (ids of one score in
-- descending byte order).
return redis.call('ZREVRANGEBYSCORE', U .. 'reservations', ARGV[1], '-inf', 'WITHSCORES', 'LIMIT', ARGV[2], ARGV[3])
