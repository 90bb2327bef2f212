package io.ticketing.core.metrics.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.TicketingException;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.Drafts;
import io.ticketing.core.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Micrometer binding over a real {@link Ticketing}: what the services report lands in the registry. */
class MicrometerMetricsTrackerTest {
    private static final User SELLER = User.seller(1);
    private static final SeatRef A_1_1 = new SeatRef("A", 1, 1, 1);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = MutableClock.startingAt("2026-11-22T14:00:00Z");
    private final Ticketing ticketing = Ticketing.builder()
            .metrics(new MicrometerMetricsTrackerFactory(registry, Tags.of("app", "test")).lagSampling(1))
            .clock(clock)
            .holdDuration(Duration.ofMinutes(1))
            .expirySweepInterval(Duration.ofMillis(20))
            .build();

    @AfterEach
    void close() {
        ticketing.close();
    }

    @Test
    void reservationsAreCountedByOutcomeAndStoreCallsTimedByOperationAndOutcome() {
        long event = ticketing.events().create(SELLER, Drafts.available("Gala", 2, 2)).id();
        Reservation held = ticketing.reservations().reserve(event, ReservationRequest.seats(A_1_1), null, User.buyer(7))
                .reservation();
        TicketingException taken = assertThrows(TicketingException.class, () -> ticketing.reservations()
                .reserve(event, ReservationRequest.seats(A_1_1), null, User.buyer(8)));
        assertEquals(ErrorCode.SEATS_UNAVAILABLE, taken.code());
        ticketing.reservations().confirm(held.id(), "pay-1", User.buyer(7));
        Reservation second = ticketing.reservations()
                .reserve(event, ReservationRequest.bestAvailable("A", 1, 1), null, User.buyer(8)).reservation();
        ticketing.reservations().cancel(second.id(), User.buyer(8));
        ticketing.reservations().reserve(event, ReservationRequest.bestAvailable("A", 1, 1), null, User.buyer(9));
        clock.advance(Duration.ofMinutes(2));

        Await.until(() -> reservations("expired") == 1, "the lapsed hold is counted as expired");
        assertEquals(3, reservations("held"));
        assertEquals(1, reservations("seats_unavailable"));
        assertEquals(1, reservations("confirmed"));
        assertEquals(1, reservations("cancelled"));
        assertEquals(3, registry.get("ticketing.store.latency").tags("operation", "reserve", "outcome", "ok")
                .timer().count());
        assertEquals(1, registry.get("ticketing.store.latency").tags("operation", "reserve", "outcome", "refused")
                .timer().count());
        assertTrue(registry.get("ticketing.broadcast.publish").tags("outcome", "ok", "app", "test").timer().count() >= 6,
                "creation, three holds, a confirmation, a cancellation and an expiry were published");
    }

    @Test
    void streamAndDeliveryCallsMoveTheirMeters() {
        MetricsTracker tracker = ticketing.metrics();
        tracker.streamOpened();
        tracker.streamOpened();
        tracker.streamClosed();
        tracker.delivered(Duration.ofMillis(3).toNanos());
        tracker.conflated();
        tracker.slowClientDropped();
        tracker.pubSubReconnected();

        assertEquals(1, registry.get("ticketing.sse.streams").gauge().value());
        assertEquals(1, registry.get("ticketing.sse.deliveries").functionCounter().count());
        assertEquals(1, registry.get("ticketing.sse.delivery.lag").timer().count());
        assertEquals(3, registry.get("ticketing.sse.delivery.lag").timer().max(java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(1, registry.get("ticketing.sse.conflated").functionCounter().count());
        assertEquals(1, registry.get("ticketing.sse.slow.clients.dropped").functionCounter().count());
        assertEquals(1, registry.get("ticketing.pubsub.reconnects").counter().count());
    }

    @Test
    void byDefaultTheLagOfOneDeliveryInSixteenIsRecorded() {
        MeterRegistry own = new SimpleMeterRegistry();
        try (MetricsTracker tracker = new MicrometerMetricsTrackerFactory(own).create()) {
            for (int i = 0; i < 16_000; i++) {
                tracker.delivered(1_000_000);
            }
            assertEquals(16_000, own.get("ticketing.sse.deliveries").functionCounter().count());
            long sampled = own.get("ticketing.sse.delivery.lag").timer().count();
            assertTrue(sampled > 700 && sampled < 1_300, "about 1,000 of 16,000 sampled, was " + sampled);
        }
        assertThrows(IllegalArgumentException.class, () -> new MicrometerMetricsTrackerFactory(own).lagSampling(0));
    }

    @Test
    void closingTicketingRemovesItsMetersFromTheRegistry() {
        ticketing.events().create(SELLER, Drafts.available("Gala", 1, 1));
        assertTrue(registry.getMeters().size() > 10);
        ticketing.close();
        assertEquals(0, registry.getMeters().size(), () -> registry.getMeters().stream()
                .map(m -> m.getId().toString()).toList().toString());
    }

    private double reservations(String outcome) {
        return registry.get("ticketing.reservations").tags("outcome", outcome).counter().count();
    }
}
