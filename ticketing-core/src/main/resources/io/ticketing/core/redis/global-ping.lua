-- The store's schema version, or false if its marker is missing.
return redis.call('HGET', SCHEMA, 'version') or false
