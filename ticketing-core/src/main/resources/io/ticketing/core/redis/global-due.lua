-- Up to ARGV[2] events due for a look at their holds at ARGV[1] (microseconds), with their scores.
return redis.call('ZRANGEBYSCORE', DUE, '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
