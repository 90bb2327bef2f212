package io.ticketing.core.redis;

import io.ticketing.core.testing.TestEnvironment;

/** The change log contract against the three-master Redis Cluster. */
class RedisClusterChangeHistoryIT extends RedisChangeHistoryIT {
    @Override
    protected String url() {
        return TestEnvironment.redisClusterUrl();
    }
}
