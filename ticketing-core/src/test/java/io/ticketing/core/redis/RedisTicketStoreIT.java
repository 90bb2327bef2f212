package io.ticketing.core.redis;

import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.spi.TicketStoreContract;
import io.ticketing.core.testing.TestEnvironment;
import org.junit.jupiter.api.AfterEach;

/** The core's TicketStore contract, unchanged, against one Redis server; every test has its own key prefix. */
class RedisTicketStoreIT extends TicketStoreContract {
    private static final String URL = TestEnvironment.redisUri().toString();
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
