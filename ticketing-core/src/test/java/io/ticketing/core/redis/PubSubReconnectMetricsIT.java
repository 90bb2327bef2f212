package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.Drafts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Redis broadcaster reports its round trips and its reconnects to the metrics tracker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PubSubReconnectMetricsIT {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final String name = RedisAdmin.unique("it-metrics");
    private RedisStatisticsBroadcaster broadcaster;
    private Ticketing ticketing;

    @BeforeEach
    void start() {
        broadcaster = RedisStatisticsBroadcaster.builder()
                .redisUri(RedisAdmin.uri())
                .channelPrefix(name + ":")
                .clientName(name)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
        ticketing = Ticketing.builder().store(new InMemoryTicketStore()).broadcaster(broadcaster)
                .metrics(new MicrometerMetricsTrackerFactory(registry)).build();
        Await.until(broadcaster::isHealthy, Duration.ofSeconds(15), "the broadcaster is subscribed");
    }

    @AfterEach
    void stop() {
        ticketing.close();
    }

    @Test
    void aKilledSubscriptionCountsOneReconnectAndPublishesAreTimedAsRoundTrips() {
        assertEquals(0, reconnects(), "the first subscription is no reconnect");
        ticketing.events().create(User.seller(1), Drafts.available("Metered", 1, 2));
        Await.until(() -> relayed() >= 1, Duration.ofSeconds(15), "the snapshot went to Redis");

        List<Long> subscriber = RedisAdmin.clientIds(name + ":sub");
        assertEquals(1, subscriber.size());
        RedisAdmin.kill(subscriber.get(0));

        Await.until(() -> reconnects() == 1, Duration.ofSeconds(15), "the reconnect is counted");
        Await.until(broadcaster::isHealthy, Duration.ofSeconds(15), "subscribed again");
        assertEquals(1, reconnects());
        assertTrue(registry.get("ticketing.broadcast.relay").tag("outcome", "ok").timer()
                .totalTime(TimeUnit.NANOSECONDS) > 0);
    }

    private double reconnects() {
        return registry.get("ticketing.pubsub.reconnects").counter().count();
    }

    private long relayed() {
        return registry.get("ticketing.broadcast.relay").tag("outcome", "ok").timer().count();
    }
}
