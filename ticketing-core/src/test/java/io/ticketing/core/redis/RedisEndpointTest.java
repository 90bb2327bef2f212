package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

class RedisEndpointTest {

    @Test
    void aServerUrlIsReadAsJedisReadsIt() {
        RedisEndpoint e = RedisEndpoint.parse("rediss://app:s3cret@redis.example:6380/7");
        assertFalse(e.cluster());
        assertEquals(Set.of(new HostAndPort("redis.example", 6380)), e.nodes());
        assertEquals("app", e.user());
        assertEquals("s3cret", e.password());
        assertEquals(7, e.database());
        assertTrue(e.ssl());
        assertEquals("rediss://app:****@redis.example:6380/7", e.toString());
        JedisClientConfig config = e.clientConfig("node-a", Duration.ofSeconds(1), Duration.ofSeconds(3));
        assertEquals("node-a", config.getClientName());
        assertEquals(7, config.getDatabase());
        assertEquals(3000, config.getSocketTimeoutMillis());
    }

    @Test
    void aClusterUrlNamesItsSeedNodes() {
        RedisEndpoint e = RedisEndpoint.parse("redis-cluster://:p%40ss@10.0.0.1:7001,10.0.0.2:7002,10.0.0.3");
        assertTrue(e.cluster());
        assertEquals(Set.of(new HostAndPort("10.0.0.1", 7001), new HostAndPort("10.0.0.2", 7002),
                new HostAndPort("10.0.0.3", 6379)), e.nodes());
        assertNull(e.user());
        assertEquals("p@ss", e.password());
        assertFalse(e.ssl());
        assertEquals("redis-cluster://:****@10.0.0.1:7001,10.0.0.2:7002,10.0.0.3", e.toString());
        assertTrue(RedisEndpoint.parse("rediss-cluster://h:1/").ssl());
    }

    @Test
    void badUrlsAreRefusedWithoutShowingThePassword() {
        for (String url : List.of("http://user:s3cret@host:1", "redis-cluster://user:s3cret@h1:1/7",
                "redis-cluster://user:s3cret@h1:x", "redis-cluster://s3cret@h1:1", "redis://user:s3cret@/")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse(url), url);
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }

    @Test
    void theStoreBuilderNamesTheBadSettingBeforeConnecting() {
        assertMessage("keyPrefix must be up to 64 of [A-Za-z0-9._:-], was 'a{b}'",
                RedisTicketStore.builder("redis://127.0.0.1:1").keyPrefix("a{b}"));
        assertMessage("connectTimeout must be between PT0.01S and PT1M, was PT0.001S",
                RedisTicketStore.builder("redis://127.0.0.1:1").connectTimeout(Duration.ofMillis(1)));
        assertMessage("maxConnections must be between 1 and 1000, was 0",
                RedisTicketStore.builder("redis://127.0.0.1:1").maxConnections(0));
    }

    @Test
    void aStoreOnAnUnreachableRedisIsUnavailableAndItsMessageMasksThePassword() {
        for (String url : List.of("redis://:s3cret@127.0.0.1:1", "redis-cluster://:s3cret@127.0.0.1:1")) {
            TicketingException e = assertThrows(TicketingException.class, () -> RedisTicketStore.builder(url)
                    .connectTimeout(Duration.ofMillis(200)).build());
            assertEquals(ErrorCode.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains(":****@127.0.0.1:1"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }

    private static void assertMessage(String expected, RedisTicketStore.Builder builder) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, builder::build).getMessage());
    }
}
