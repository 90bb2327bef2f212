package io.ticketing.core.redis;

import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.spi.TicketStoreContract;
import io.ticketing.core.testing.TestEnvironment;
import org.junit.jupiter.api.AfterEach;

/**
 * The core's TicketStore contract, unchanged, against the three-master Redis Cluster that
 * {@code scripts/ensure-services.sh} starts; every test has its own key prefix.
 */
class RedisClusterTicketStoreIT extends TicketStoreContract {
    private static final String URL = TestEnvironment.redisClusterUrl();
    private String prefix;

    @Override
    protected TicketStore newStore() {
        prefix = StoreKeys.uniquePrefix();
        return StoreKeys.newStore(URL, prefix);
    }

    @AfterEach
    void deleteKeys() {
        StoreKeys.deleteAll(URL, prefix);
    }
}
