package io.ticketing.core.redis;

import io.ticketing.core.spi.ChangeHistoryContract;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.testing.TestEnvironment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The change log contract against one Redis server; every store has its own key prefix. */
class RedisChangeHistoryIT extends ChangeHistoryContract {
    private final List<String> prefixes = new ArrayList<>();

    /** The Redis to test against. */
    protected String url() {
        return TestEnvironment.redisUri().toString();
    }

    @Override
    protected TicketStore newStore(int changeLogSize) {
        String prefix = StoreKeys.uniquePrefix();
        prefixes.add(prefix);
        return RedisTicketStore.builder(url()).keyPrefix(prefix).clientName("test-store").changeLogSize(changeLogSize)
                .build();
    }

    @AfterEach
    void deleteKeys() {
        prefixes.forEach(p -> StoreKeys.deleteAll(url(), p));
    }
}
