package io.ticketing.core;

import io.ticketing.core.internal.NamedThreadFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that expires lapsed holds at a fixed interval, whatever the number of holds, and then lets the
 * store forget a batch of what it keeps only for a while.
 */
final class HoldExpirySweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HoldExpirySweeper.class);
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("ticketing-hold-expiry"));

    HoldExpirySweeper(ReservationService reservations, Duration interval) {
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int expired = reservations.expireDueHolds();
                int forgotten = reservations.forgetEnded();
                if (expired > 0 || forgotten > 0) {
                    log.debug("Expired {} holds, forgot {} ended reservations", expired, forgotten);
                }
            } catch (RuntimeException e) {
                log.warn("Expiring lapsed holds failed; retrying in {} ms", millis, e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
