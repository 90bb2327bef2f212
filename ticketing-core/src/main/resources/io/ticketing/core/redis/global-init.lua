-- Marks a new store (ARGV: schema version, now) and returns the stored schema version.
redis.call('HSETNX', SCHEMA, 'version', ARGV[1])
redis.call('HSETNX', SCHEMA, 'created', ARGV[2])
return redis.call('HGET', SCHEMA, 'version')
