package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.servlet.TicketingHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleConfigTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void noFlagsAndNoEnvironmentGiveTheDocumentedDefaults() {
        ExampleConfig config = ExampleConfig.parse(List.of(), Map.of());
        assertEquals(ExampleConfig.defaults(), config);
        assertEquals(8080, config.port());
        assertEquals(Duration.ofMinutes(10), config.holdDuration());
        assertEquals(TicketingHttp.Builder.DEFAULT_RESERVATION_EXPIRING_LEAD, config.expiringLead());
        assertEquals(Duration.ofSeconds(5), config.heartbeatInterval());
        assertEquals(20_000, config.maxStreams());
        assertNull(config.jdbcUrl());
        assertNull(config.redisUrl());
        assertNull(config.redisStoreUrl());
        assertTrue(config.demoMode());
    }

    @Test
    void environmentVariablesSetEverySetting() {
        ExampleConfig config = ExampleConfig.parse(List.of(), Map.ofEntries(
                Map.entry("TICKETING_PORT", "9090"), Map.entry("TICKETING_HOST", "127.0.0.1"),
                Map.entry("TICKETING_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"),
                Map.entry("TICKETING_REDIS_URL", "redis://127.0.0.1:6379"), Map.entry("TICKETING_HOLD_SECONDS", "30"),
                Map.entry("TICKETING_EXPIRING_LEAD_SECONDS", "10"),
                Map.entry("TICKETING_JWT_SECRET", SECRET), Map.entry("TICKETING_HEARTBEAT_SECONDS", "5"),
                Map.entry("TICKETING_MAX_STREAMS", "50"), Map.entry("TICKETING_JWT_ISSUER", "https://auth.example"),
                Map.entry("TICKETING_JWT_AUDIENCE", "ticketing"), Map.entry("TICKETING_MAX_STREAMS_PER_ADDRESS", "20"),
                Map.entry("TICKETING_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32")));
        assertEquals(new ExampleConfig("127.0.0.1", 9090, "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                "redis://127.0.0.1:6379", null, Duration.ofSeconds(30), Duration.ofSeconds(10), SECRET, "https://auth.example", "ticketing",
                Duration.ofSeconds(5), 50, 20, List.of("10.0.0.0/8", "2001:db8::/32")), config);
        assertTrue(!config.demoMode());
    }

    @Test
    void theRedisStoreTakesAServerOrAClusterUrl() {
        for (String url : List.of("redis://:pw@127.0.0.1:6379/7", "rediss://user:pw@redis.example:6380",
                "redis-cluster://127.0.0.1:7001,127.0.0.1:7002")) {
            assertEquals(url, ExampleConfig.parse(List.of("--redis-store-url", url), Map.of()).redisStoreUrl());
        }
    }

    @Test
    void flagsWinOverEnvironmentInBothSpellings() {
        ExampleConfig config = ExampleConfig.parse(List.of("--port", "7070", "--hold-seconds=45"),
                Map.of("TICKETING_PORT", "9090", "TICKETING_HOLD_SECONDS", "30", "TICKETING_MAX_STREAMS", ""));
        assertEquals(7070, config.port());
        assertEquals(Duration.ofSeconds(45), config.holdDuration());
        assertEquals(ExampleConfig.DEFAULT_MAX_STREAMS, config.maxStreams(), "an empty variable counts as unset");
    }

    @Test
    void demoModeListensOnLoopbackUnlessTheHostIsGivenAndASecretListensEverywhere() {
        assertEquals("127.0.0.1", ExampleConfig.parse(List.of(), Map.of()).host());
        assertEquals("0.0.0.0", ExampleConfig.parse(List.of("--host", "0.0.0.0"), Map.of()).host());
        assertEquals("0.0.0.0", ExampleConfig.parse(List.of(), Map.of("TICKETING_JWT_SECRET", SECRET)).host());
        assertEquals("127.0.0.1", ExampleConfig.parse(List.of("--host", "127.0.0.1", "--jwt-secret", SECRET),
                Map.of()).host());
    }

    @Test
    void theStreamCapPerAddressFollowsALowerMaxStreams() {
        assertEquals(100, ExampleConfig.parse(List.of(), Map.of()).maxStreamsPerAddress());
        assertEquals(40, ExampleConfig.parse(List.of("--max-streams", "40"), Map.of()).maxStreamsPerAddress());
        assertEquals(500, ExampleConfig.parse(List.of("--max-streams-per-address", "500"), Map.of()).maxStreamsPerAddress());
    }

    @Test
    void noSecretIsInTheSettingsTextOrInAnErrorAboutThem() {
        ExampleConfig config = ExampleConfig.parse(List.of("--jwt-secret", SECRET, "--jdbc-url",
                "jdbc:postgresql://db/t?user=u&password=pg-s3cret", "--redis-url", "redis://u:redis-s3cret@h:6379"), Map.of());
        for (String secret : List.of(SECRET, "pg-s3cret", "redis-s3cret")) {
            assertFalse(config.toString().contains(secret), config.toString());
        }
        for (List<String> bad : List.of(List.of("--jdbc-url", "jdbc:mysql://db/t?password=pg-s3cret"),
                List.of("--redis-url", "http://u:redis-s3cret@h"), List.of("--redis-url", "redis://u:redis-s3cret@h h"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExampleConfig.parse(bad, Map.of()));
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }

    @Test
    void badInputIsNamedInTheMessage() {
        assertMessage("Unknown options: '--prot', '8080'", "--prot", "8080");
        assertMessage("Missing required parameter for option '--port' (<port>)", "--port");
        assertMessage("Invalid value for option '--port': 'eighty' is not an int", "--port", "eighty");
        assertMessage("--port must be between 0 and 65535, was 70000", "--port", "70000");
        assertMessage("--hold-seconds must be between 1 and 86400, was 0", "--hold-seconds", "0");
        assertMessage("--expiring-lead-seconds must be between 0 and 3600, was 3601", "--expiring-lead-seconds", "3601");
        assertMessage("--heartbeat-seconds must be between 1 and 3600, was 7200", "--heartbeat-seconds", "7200");
        assertMessage("--max-streams must be between 1 and 1000000, was 0", "--max-streams", "0");
        assertMessage("--jdbc-url must start with jdbc:postgresql:, was jdbc:mysql://x/y", "--jdbc-url", "jdbc:mysql://x/y");
        assertMessage("--redis-url must look like redis://host:6379, was http://x", "--redis-url", "http://x");
        assertMessage("Unmatched argument at index 0: 'serve'", "serve");
        assertMessage("--redis-store-url must start with redis://, rediss://, redis-cluster:// or rediss-cluster://",
                "--redis-store-url", "http://user:secret@x");
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> ExampleConfig.parse(
                List.of("--jdbc-url", "jdbc:postgresql://x/y", "--redis-store-url", "redis://x"), Map.of()));
        assertEquals("--jdbc-url and --redis-store-url each choose the store: give one", both.getMessage());
        assertMessage("--max-streams-per-address must be between 1 and --max-streams (10), was 11",
                "--max-streams", "10", "--max-streams-per-address", "11");
        assertMessage("--trusted-proxies: 'lb.internal' is not an IP address or CIDR block (such as 10.0.0.7, "
                + "10.0.0.0/8 or 2001:db8::/32)", "--trusted-proxies", "10.0.0.1,lb.internal");
        IllegalArgumentException shortSecret = assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(List.of("--jwt-secret", "short"), Map.of()));
        assertTrue(shortSecret.getMessage().startsWith("--jwt-secret must be at least 32 bytes"), shortSecret.getMessage());
    }

    @Test
    void usageListsEveryFlagWithItsVariableAndDefault() {
        String usage = ExampleConfig.usage();
        for (String expected : List.of("--port=<port>", "TICKETING_PORT, default: 8080", "--jdbc-url=<url>",
                "TICKETING_JDBC_URL, default: in-memory store", "--redis-url=<url>",
                "TICKETING_REDIS_URL, default: in-process broadcaster", "--redis-store-url=<url>",
                "TICKETING_REDIS_STORE_URL, default: in-memory store", "--hold-seconds=<seconds>",
                "TICKETING_HOLD_SECONDS, default: 600", "--expiring-lead-seconds=<seconds>",
                "TICKETING_EXPIRING_LEAD_SECONDS, default: 60", "--jwt-secret=<secret>", "TICKETING_JWT_SECRET, default: demo mode",
                "--heartbeat-seconds=<seconds>", "TICKETING_HEARTBEAT_SECONDS, default: 5", "--max-streams=<count>",
                "TICKETING_MAX_STREAMS, default: 20000", "--host=<address>", "--help")) {
            assertTrue(usage.contains(expected), () -> "usage lacks " + expected + ":\n" + usage);
        }
        assertTrue(ExampleConfig.wantsHelp(List.of("--port", "1", "--help")));
    }

    private static void assertMessage(String message, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(List.of(args), Map.of()));
        assertEquals(message, e.getMessage());
    }
}
