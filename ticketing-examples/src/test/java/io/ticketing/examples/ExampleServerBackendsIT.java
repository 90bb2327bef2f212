package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.TestEnvironment;
import io.ticketing.servlet.testing.SseRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The example app on the real PostgreSQL store, the Redis store and Redis pub/sub, as {@code --jdbc-url},
 * {@code --redis-store-url} and {@code --redis-url} start it.
 */
class ExampleServerBackendsIT {

    @Test
    void postgresStoreServesTheApiAndReportsHealthAndPoolMetrics() throws Exception {
        try (ScratchDatabase database = new ScratchDatabase();
             ExampleServer app = ExampleServer.start(ExampleConfig.parse(
                List.of("--host", "127.0.0.1", "--port", "0", "--jdbc-url", database.jdbcUrl()), Map.of()))) {
            TestApi api = new TestApi(app.uri());
            long id = api.createGala(api.demoToken(3, "seller"));
            TestApi.Response held = api.post("/api/events/" + id + "/reservations", api.demoToken(7, "buyer"),
                    "{\"section\": \"B\", \"subsection\": 1, \"quantity\": 3}");
            assertEquals(201, held.status(), held::toString);
            assertEquals(3, api.get("/api/events/" + id, null).json().get("statistics").get("allocatedTickets").asInt());

            TestApi.Response health = api.get("/health", null);
            assertEquals(200, health.status(), health::toString);
            assertEquals("UP", health.json().get("store").asText());
            String metrics = api.get("/metrics", null).body();
            assertTrue(metrics.contains("hikaricp_connections_active{pool=\"ticketing\"}"), "pool metrics");
            assertTrue(metrics.contains("ticketing_store_latency_seconds_count{operation=\"reserve\",outcome=\"ok\"}"));
        }
    }

    @Test
    void twoNodesOnPostgresAndRedisShareEventsAndStatistics() throws Exception {
        try (ScratchDatabase database = new ScratchDatabase()) {
            twoNodesShareEventsAndStatistics(List.of("--host", "127.0.0.1", "--port", "0", "--jdbc-url", database.jdbcUrl(),
                    "--redis-url", TestEnvironment.redisUri().toString(), "--jwt-secret", JwtTokensTest.SECRET));
        }
    }

    @Test
    void twoNodesOnTheRedisStoreAndRedisShareEventsAndStatistics() throws Exception {
        // a prefix of its own: the shared cluster may hold another schema version's keys under the default one
        String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        twoNodesShareEventsAndStatistics(List.of("--host", "127.0.0.1", "--port", "0", "--redis-store-url",
                TestEnvironment.redisClusterUrl(), "--redis-store-prefix", prefix, "--redis-url", TestEnvironment.redisUri().toString(), "--jwt-secret",
                JwtTokensTest.SECRET));
    }

    private static void twoNodesShareEventsAndStatistics(List<String> shared) throws Exception {
        try (ExampleServer one = ExampleServer.start(ExampleConfig.parse(shared, Map.of()));
             ExampleServer two = ExampleServer.start(ExampleConfig.parse(shared, Map.of()))) {
            TestApi apiOne = new TestApi(one.uri());
            TestApi apiTwo = new TestApi(two.uri());
            String seller = new JwtTokens(JwtTokensTest.SECRET).issue(User.seller(3), Duration.ofMinutes(5));
            String buyer = new JwtTokens(JwtTokensTest.SECRET).issue(User.buyer(7), Duration.ofMinutes(5));
            long id = apiOne.createGala(seller);
            assertEquals(200, apiTwo.get("/api/events/" + id, null).status(), "node two reads node one's event");

            Await.until(() -> apiOne.get("/health", null).status() == 200 && apiTwo.get("/health", null).status() == 200,
                    Duration.ofSeconds(30), "both nodes connected to Redis");
            TestApi.Response health = apiTwo.get("/health", null);
            assertEquals("UP", health.json().get("pubSub").asText(), health::toString);

            try (SseRecorder stream = SseRecorder.open(two.uri().resolve("/api/events/" + id + "/stream"))) {
                assertEquals(0, SseRecorder.json(stream.nextEvent(SseRecorder.DEFAULT_TIMEOUT)).get("allocatedTickets").asInt());
                TestApi.Response held = apiOne.post("/api/events/" + id + "/reservations", buyer,
                        "{\"section\": \"A\", \"subsection\": 2, \"quantity\": 2}");
                assertEquals(201, held.status(), held::toString);
                JsonNode update = SseRecorder.json(stream.nextEvent(SseRecorder.DEFAULT_TIMEOUT));
                assertEquals(2, update.get("allocatedTickets").asInt(), "a reservation on node one reaches node two");
                assertEquals("ticket.reserved", update.get("lastEvent").get("type").asText());
            }
            assertTrue(apiOne.get("/metrics", null).body().contains("ticketing_redis_snapshots_dropped_total 0.0"));
        }
    }

    @Test
    void unreachableRedisMakesHealth503WithPubSubDown() throws Exception {
        try (ExampleServer app = ExampleServer.start(ExampleConfig.parse(
                List.of("--host", "127.0.0.1", "--port", "0", "--redis-url", "redis://127.0.0.1:1"), Map.of()))) {
            TestApi api = new TestApi(app.uri());
            TestApi.Response health = api.get("/health", null);
            assertEquals(503, health.status(), health::toString);
            assertEquals("{\"status\":\"DOWN\",\"store\":\"UP\",\"pubSub\":\"DOWN\"}", health.body());
        }
    }
}
