package io.ticketing.servlet.testing;

import io.ticketing.core.Ticketing;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Concurrent seat traffic for seat-map tests: {@code count} buyers on 8 threads, each reserving one or two
 * best-available seats in subsection 1 of section A or B in turn, then confirming (every third), cancelling
 * (every third) or keeping the hold. Returns once all are done; a failed buyer's exception is thrown.
 */
public final class SeatChurn {
    private SeatChurn() {
    }

    public static void run(Ticketing ticketing, long eventId, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                User buyer = User.buyer(100 + n);
                done.add(pool.submit(() -> {
                    String section = n % 2 == 0 ? "A" : "B";
                    String rid = ticketing.reservations().reserve(eventId,
                            ReservationRequest.bestAvailable(section, 1, 1 + n % 2), null, buyer).reservation().id();
                    if (n % 3 == 0) {
                        ticketing.reservations().confirm(rid, "pay-" + n, buyer);
                    } else if (n % 3 == 1) {
                        ticketing.reservations().cancel(rid, buyer);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
