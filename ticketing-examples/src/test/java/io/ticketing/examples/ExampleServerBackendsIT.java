package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.testing.TestEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example app on the real PostgreSQL store, as {@code --jdbc-url} starts it. */
class ExampleServerBackendsIT {

    @Test
    void postgresStoreServesTheApiAndReportsHealthAndPoolMetrics() throws Exception {
        try (ExampleServer app = ExampleServer.start(ExampleConfig.parse(
                List.of("--host", "127.0.0.1", "--port", "0", "--jdbc-url", jdbcUrl()), Map.of()))) {
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

    private static String jdbcUrl() {
        String url = TestEnvironment.jdbcUrl();
        return url + (url.contains("?") ? "&" : "?") + "user=" + TestEnvironment.jdbcUser();
    }
}
