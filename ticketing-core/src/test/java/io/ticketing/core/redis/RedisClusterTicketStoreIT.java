package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.testing.TestEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Everything {@link RedisTicketStoreIT} runs — the core's TicketStore contract, unchanged, and the Redis
 * store's own tests — against the three-master Redis Cluster that {@code scripts/ensure-services.sh} starts.
 * Plus: every key of an event carries the event's hash tag, a buyer's idempotency keys the buyer's, and the
 * other keys the global one.
 */
class RedisClusterTicketStoreIT extends RedisTicketStoreIT {

    @Override
    protected String url() {
        return TestEnvironment.redisClusterUrl();
    }

    @Test
    void everyKeyCarriesItsEventsOrItsBuyersHashTagOrTheGlobalOne() {
        Event first = gala();
        Event second = gala();
        for (Event e : List.of(first, second)) {
            Reservation r = store.reserve(new ReserveCommand.Seats(null, e.id(), 7, List.of(seat("A", 1, 1,
                    1)), "key-" + e.id(), T0, T0.plus(HOLD))).reservation();
            store.confirm(r.id(), "pay", T0);
            reserveBest(e.id(), 8, "B", 1, 2);
        }
        List<String> keys = StoreKeys.keys(url(), StoreKeys.glob(prefix) + "*");
        assertTrue(keys.size() > 10, "keys: " + keys);
        for (String key : keys) {
            assertTrue(key.startsWith(prefix + "{global}:") || key.startsWith(prefix + "{e:" + first.id() + "}:")
                    || key.startsWith(prefix + "{e:" + second.id() + "}:") || key.startsWith(prefix + "{u:7}:") || key.startsWith(prefix + "{u:8}:"), key);
        }
    }
}
