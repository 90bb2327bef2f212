package io.ticketing.core.testing;

import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.TicketStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Expiry sweeps for tests. */
public final class Sweeps {
    private Sweeps() {
    }

    /** Calls {@code expireHolds(now, batch)} until it returns nothing (at most 100 times); the ids it expired. */
    public static List<String> expireAll(TicketStore store, Instant now, int batch) {
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 100; round++) {
            List<ReservationChange> expired = store.expireHolds(now, batch);
            if (expired.isEmpty()) {
                break;
            }
            expired.forEach(c -> ids.add(c.reservation().id()));
        }
        return ids;
    }
}
