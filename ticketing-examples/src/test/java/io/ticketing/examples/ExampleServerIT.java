package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.servlet.testing.RawHttpConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example app over real HTTP: JWT auth, demo tokens, stream tokens, /health and /metrics. */
class ExampleServerIT {
    private static final String SECRET = JwtTokensTest.SECRET;
    private static ExampleServer secured;
    private static ExampleServer demo;
    private static TestApi securedApi;
    private static TestApi demoApi;

    @BeforeAll
    static void start() throws Exception {
        secured = ExampleServer.start(ExampleConfig.parse(
                List.of("--host", "127.0.0.1", "--port", "0", "--jwt-secret", SECRET), Map.of()));
        demo = ExampleServer.start(ExampleConfig.parse(List.of("--host", "127.0.0.1", "--port", "0"), Map.of()));
        securedApi = new TestApi(secured.uri());
        demoApi = new TestApi(demo.uri());
    }

    @AfterAll
    static void stop() {
        if (secured != null) {
            secured.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void validSellerTokenCreatesAnEvent() {
        TestApi.Response created = securedApi.post("/api/events", token("3", "seller", 60), TestApi.GALA);
        assertEquals(201, created.status(), created::toString);
        assertEquals(3, created.json().get("sellerId").asLong());
        assertTrue(created.header("Location").startsWith("/api/events/"), created.header("Location"));
    }

    @Test
    void expiredTokenIs401WithBearerChallenge() {
        assertUnauthorized(securedApi.post("/api/events", token("3", "seller", -60), TestApi.GALA));
    }

    @Test
    void tokenSignedWithAnotherSecretIs401() {
        String forged = new JwtTokens("some-other-secret-of-32-bytes-or-more").issue(
                io.ticketing.core.model.User.seller(3), java.time.Duration.ofMinutes(5));
        assertUnauthorized(securedApi.post("/api/events", forged, TestApi.GALA));
    }

    @Test
    void tokenWithoutRoleIs401() {
        String noRole = JWT.create().withSubject("3").withExpiresAt(Instant.now().plusSeconds(60))
                .sign(JwtTokensTest.HS256);
        assertUnauthorized(securedApi.post("/api/events", noRole, TestApi.GALA));
    }

    @Test
    void missingTokenIs401() {
        assertUnauthorized(securedApi.post("/api/events", null, TestApi.GALA));
    }

    @Test
    void buyerCreatingAnEventIs403() {
        TestApi.Response r = securedApi.post("/api/events", token("7", "buyer", 60), TestApi.GALA);
        assertEquals(403, r.status(), r::toString);
        assertEquals("forbidden", r.json().get("error").get("code").asText());
    }

    @Test
    void sellerReservingSeatsIs403AndBuyerGets201() {
        long id = securedApi.createGala(token("3", "seller", 60));
        String body = "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2}";
        assertEquals(403, securedApi.post("/api/events/" + id + "/reservations", token("3", "seller", 60), body).status());
        TestApi.Response held = securedApi.post("/api/events/" + id + "/reservations", token("7", "buyer", 60), body);
        assertEquals(201, held.status(), held::toString);
        assertEquals("held", held.json().get("status").asText());
    }

    @Test
    void errorsJettyFindsAndBadQueriesOnStreamsAreJson400() throws Exception {
        for (String request : new String[] {"GET /api/events/%zz HTTP/1.1", "GET /api/events/1/stream?streamToken=%zz HTTP/1.1",
                "GET /api/events HTTP/1.1\r\nBad Header: x"}) {
            String response = RawHttpConnection.exchange(secured.uri(), request);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("Content-Type: application/json"), response);
            assertTrue(response.contains("\"code\":\"bad_request\""), response);
        }
    }

    @Test
    void demoTokenEndpointExistsOnlyInDemoMode() {
        TestApi.Response absent = securedApi.post("/api/demo/token", null, "{\"userId\": 7, \"role\": \"buyer\"}");
        assertEquals(404, absent.status(), absent::toString);

        TestApi.Response issued = demoApi.post("/api/demo/token", null, "{\"userId\": 7, \"role\": \"buyer\"}");
        assertEquals(200, issued.status(), issued::toString);
        String token = issued.json().get("token").asText();
        assertEquals("7", JWT.decode(token).getSubject());
        assertEquals("buyer", JWT.decode(token).getClaim("role").asString());
        assertNotNull(JWT.decode(token).getExpiresAtAsInstant());

        long id = demoApi.createGala(demoApi.demoToken(3, "seller"));
        TestApi.Response held = demoApi.post("/api/events/" + id + "/reservations", token,
                "{\"seats\": [{\"section\": \"B\", \"subsection\": 1, \"row\": 1, \"seat\": 1}]}");
        assertEquals(201, held.status(), held::toString);
    }

    @Test
    void demoTokenEndpointRejectsBadRequests() {
        assertError(demoApi.post("/api/demo/token", null, "{\"userId\": 7, \"role\": \"admin\"}"), 400, "validation_failed", "role");
        assertError(demoApi.post("/api/demo/token", null, "{\"userId\": 0, \"role\": \"buyer\"}"), 400, "validation_failed", "userId");
        assertError(demoApi.post("/api/demo/token", null, "{\"role\": \"buyer\"}"), 400, "validation_failed", "userId");
        assertError(demoApi.post("/api/demo/token", null, "{\"userId\": 7, \"role\": \"buyer\", \"admin\": true}"),
                400, "validation_failed", "admin");
        assertError(demoApi.post("/api/demo/token", null, "{\"userId\": 7,"), 400, "malformed_json", null);
        TestApi.Response get = demoApi.get("/api/demo/token", null);
        assertError(get, 405, "method_not_allowed", null);
        assertEquals("POST", get.header("Allow"));
        assertError(demoApi.send("POST", "/api/demo/token", null, null), 415, "unsupported_media_type", null);
    }

    @Test
    void aHiddenEventsStreamOpensWithAStreamTokenNeverWithTheBearerTokenInTheUrl() throws Exception {
        String seller = token("3", "seller", 60);
        TestApi.Response draft = securedApi.post("/api/events", seller, TestApi.GALA.replace(
                "\"name\": \"Spring Gala\"", "\"name\": \"Secret rehearsal\", \"status\": \"draft\""));
        assertEquals(201, draft.status(), draft::toString);
        long id = draft.json().get("id").asLong();

        assertEquals(404, securedApi.get("/api/events/" + id + "/stream", null).status(), "draft hidden without a token");
        assertEquals(404, securedApi.get("/api/events/" + id + "/stream?access_token=" + seller, null).status(),
                "a bearer token in the URL is not read");
        TestApi.Response issued = securedApi.post("/api/stream-tokens", seller, null);
        assertEquals(201, issued.status(), issued::toString);
        String streamToken = issued.json().get("token").asText();

        HttpURLConnection stream = (HttpURLConnection) secured.uri()
                .resolve("/api/events/" + id + "/stream?streamToken=" + streamToken).toURL().openConnection();
        stream.setReadTimeout(20_000);
        try {
            assertEquals(200, stream.getResponseCode());
            assertTrue(stream.getContentType().startsWith("text/event-stream"), stream.getContentType());
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null && !line.startsWith("data:")) {
                    // skip retry:, id: and event: lines
                }
                assertNotNull(line, "the stream ended before its first snapshot");
                JsonNode snapshot = TicketingJson.newObjectMapper().readTree(line.substring("data:".length()));
                assertEquals(id, snapshot.get("eventId").asLong());
                assertEquals("draft", snapshot.get("status").asText());
            }
        } finally {
            stream.disconnect();
        }
    }

    @Test
    void healthIsUpWithStoreAndPubSub() {
        TestApi.Response health = demoApi.get("/health", null);
        assertEquals(200, health.status());
        assertEquals("UP", health.json().get("status").asText());
        assertEquals("UP", health.json().get("store").asText());
        assertEquals("UP", health.json().get("pubSub").asText());
    }

    @Test
    void healthIs503WhenAPartIsDown() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HealthServlet(() -> true, () -> false,
                new JsonResponses(TicketingJson.newObjectMapper()))), "/health");
        server.setHandler(context);
        server.start();
        try {
            TestApi.Response health = new TestApi(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/"))
                    .get("/health", null);
            assertEquals(503, health.status());
            assertEquals("{\"status\":\"DOWN\",\"store\":\"UP\",\"pubSub\":\"DOWN\"}", health.body());
        } finally {
            server.stop();
        }
    }

    @Test
    void metricsAreInPrometheusTextFormat() {
        String buyer = demoApi.demoToken(11, "buyer");
        long id = demoApi.createGala(demoApi.demoToken(3, "seller"));
        String seat = "{\"seats\": [{\"section\": \"A\", \"subsection\": 2, \"row\": 1, \"seat\": 1}]}";
        assertEquals(201, demoApi.post("/api/events/" + id + "/reservations", buyer, seat).status());
        assertEquals(409, demoApi.post("/api/events/" + id + "/reservations", buyer, seat).status());

        TestApi.Response metrics = demoApi.get("/metrics", null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.header("Content-Type").startsWith("text/plain; version=0.0.4"), metrics.header("Content-Type"));
        String text = metrics.body();
        for (String expected : List.of("# TYPE ticketing_sse_streams gauge", "ticketing_sse_deliveries_total",
                "ticketing_sse_delivery_lag_seconds_count", "ticketing_sse_conflated_total",
                "ticketing_sse_slow_clients_dropped_total", "ticketing_pubsub_reconnects_total",
                "ticketing_reservations_total{outcome=\"held\"} 1.0",
                "ticketing_reservations_total{outcome=\"seats_unavailable\"} 1.0",
                "ticketing_broadcast_publish_seconds_count{outcome=\"ok\"}",
                "ticketing_store_latency_seconds_count{operation=\"reserve\",outcome=\"ok\"}",
                "ticketing_store_latency_seconds_count{operation=\"reserve\",outcome=\"refused\"}",
                "ticketing_store_latency_seconds_bucket{operation=\"reserve\",outcome=\"ok\",le=\"0.01\"}",
                "jvm_memory_used_bytes")) {
            assertTrue(text.contains(expected), () -> "metrics lack " + expected);
        }
    }

    @Test
    void pageIsServedAtTheRoot() {
        TestApi.Response page = demoApi.get("/", null);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("id=\"seat-map\""));
        assertEquals(200, demoApi.get("/app.js", null).status());
        assertEquals(200, demoApi.get("/app.css", null).status());
    }

    private static String token(String subject, String role, long secondsToLive) {
        return JWT.create().withSubject(subject).withClaim("role", role)
                .withExpiresAt(Instant.now().plusSeconds(secondsToLive)).sign(JwtTokensTest.HS256);
    }

    private static void assertUnauthorized(TestApi.Response r) {
        assertEquals(401, r.status(), r::toString);
        assertTrue(r.header("WWW-Authenticate").startsWith("Bearer"), r.header("WWW-Authenticate"));
        assertEquals("unauthorized", r.json().get("error").get("code").asText());
    }

    private static void assertError(TestApi.Response r, int status, String code, String field) {
        assertEquals(status, r.status(), r::toString);
        JsonNode error = r.json().get("error");
        assertEquals(code, error.get("code").asText(), r::toString);
        assertEquals(field, error.hasNonNull("field") ? error.get("field").asText() : null, r::toString);
    }
}
