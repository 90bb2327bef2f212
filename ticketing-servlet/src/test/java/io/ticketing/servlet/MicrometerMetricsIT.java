package io.ticketing.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketing.core.Ticketing;
import io.ticketing.core.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.Drafts;
import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestPrincipals;
import io.ticketing.servlet.testing.TestServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer reports its streams and deliveries to the tracker of the {@link Ticketing} it serves. */
class MicrometerMetricsIT {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private Ticketing ticketing;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        ticketing = Ticketing.builder().metrics(new MicrometerMetricsTrackerFactory(registry).lagSampling(1)).build();
        server = JettyTestServer.start(TicketingHttp.builder(ticketing).principalResolver(TestPrincipals.resolver()).build());
    }

    @AfterEach
    void stop() {
        server.close();
        ticketing.close();
    }

    @Test
    void aStreamIsCountedWhileOpenAndEachUpdateItTakesIsADeliveryWithItsLag() throws Exception {
        long event = ticketing.events().create(User.seller(1), Drafts.available("Metered", 2, 2)).id();
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + event + "/stream"))) {
            sse.assertEvent("initial_status", 1);
            assertEquals(1, registry.get("ticketing.sse.streams").gauge().value());
            assertEquals(0, deliveries(), "the first snapshot is not a delivery");

            ticketing.reservations().reserve(event, ReservationRequest.bestAvailable("A", 1, 1), null, User.buyer(7));
            sse.assertEvent("status_update", 2);
            Await.until(() -> deliveries() == 1, "the update is counted");
            assertEquals(1, registry.get("ticketing.sse.delivery.lag").timer().count());
            assertTrue(registry.get("ticketing.sse.delivery.lag").timer().totalTime(TimeUnit.NANOSECONDS) > 0);
        }
        Await.until(() -> registry.get("ticketing.sse.streams").gauge().value() == 0, "the closed stream is gone");
        assertEquals(0, registry.get("ticketing.sse.conflated").functionCounter().count());
    }

    private double deliveries() {
        return registry.get("ticketing.sse.deliveries").functionCounter().count();
    }
}
