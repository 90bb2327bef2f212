-- The store's epoch, kept with its schema marker: ARGV[1] unless one is stored already.
redis.call('HSETNX', SCHEMA, 'epoch', ARGV[1])
return redis.call('HGET', SCHEMA, 'epoch')
