package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RedisStatisticsBroadcasterBuilderTest {

    private static String rejection(UnaryOperator<RedisStatisticsBroadcaster.Builder> settings) {
        return assertThrows(IllegalArgumentException.class, () -> settings.apply(RedisStatisticsBroadcaster.builder()).build())
                .getMessage();
    }

    @Test
    void defaultsBuildWithoutConnectingAndCloseCleanly() {
        RedisStatisticsBroadcaster broadcaster = RedisStatisticsBroadcaster.builder().build();
        assertFalse(broadcaster.isHealthy(), "not healthy before it is started");
        broadcaster.close();
        broadcaster.close();
    }

    @Test
    void outOfRangeSettingsAreRejectedByName() {
        assertTrue(rejection(b -> b.redisUri("http://localhost:6379")).startsWith("redisUri"));
        assertTrue(rejection(b -> b.channelPrefix("events:*")).startsWith("channelPrefix"));
        assertTrue(rejection(b -> b.channelPrefix("")).startsWith("channelPrefix"));
        assertTrue(rejection(b -> b.clientName("node a")).startsWith("clientName"));
        assertTrue(rejection(b -> b.connectTimeout(Duration.ZERO)).startsWith("connectTimeout"));
        assertTrue(rejection(b -> b.socketTimeout(Duration.ofHours(1))).startsWith("socketTimeout"));
        assertTrue(rejection(b -> b.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .startsWith("reconnectBackoff max"));
        assertTrue(rejection(b -> b.pingInterval(Duration.ofMillis(1))).startsWith("pingInterval"));
        assertTrue(rejection(b -> b.maxPendingEvents(0)).startsWith("maxPendingEvents"));
        assertTrue(rejection(b -> b.maxPendingSnapshots(0)).startsWith("maxPendingSnapshots"));
        assertTrue(rejection(b -> b.maxPendingSnapshots(10_000_001)).startsWith("maxPendingSnapshots"));
        assertTrue(rejection(b -> b.fanoutThreads(0)).startsWith("fanoutThreads"));
    }

    @Test
    void aRejectedRedisUriIsNotEchoedWithItsPassword() {
        assertFalse(rejection(b -> b.redisUri("http://user:secret@localhost:6379")).contains("secret"));
        String malformed = assertThrows(IllegalArgumentException.class,
                () -> RedisStatisticsBroadcaster.builder().redisUri("redis://user:s3cret pw@local host:6379")).getMessage();
        assertTrue(malformed.startsWith("redisUri is not a URI"), malformed);
        assertFalse(malformed.contains("s3cret"), malformed);
    }

    @Test
    void theSettingsDescribeThemselvesWithoutThePassword() {
        Settings settings = new Settings(java.net.URI.create("redis://user:s3cret@redis.internal:6379/2"), "p", "n",
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(1), 10, 1000, 1);
        assertTrue(settings.toString().contains("redis://user:****@redis.internal:6379/2"), settings.toString());
        assertFalse(settings.toString().contains("s3cret"));
    }

    @Test
    void startingTwiceIsRefused() {
        try (RedisStatisticsBroadcaster broadcaster = RedisStatisticsBroadcaster.builder()
                .redisUri("redis://127.0.0.1:1").clientName("builder-test").build()) {
            broadcaster.start(id -> java.util.Optional.empty());
            assertThrows(IllegalStateException.class, () -> broadcaster.start(id -> java.util.Optional.empty()));
        }
    }
}
