package io.ticketing.servlet;

import static io.ticketing.servlet.testing.TestPrincipals.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Drafts;
import io.ticketing.servlet.testing.ApiClient;
import io.ticketing.servlet.testing.ApiClient.Response;
import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.OpenApiContract;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestPrincipals;
import io.ticketing.servlet.testing.TestServer;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real answers of every endpoint, successes and errors, validate against the OpenAPI 3.1 description the
 * servlet ships and serves at {@code <mount>/openapi.json}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {
    private static final User SELLER = User.seller(3);
    private static final User BUYER = User.buyer(7);
    private static final User OTHER_BUYER = User.buyer(8);
    private static final String GALA = """
            {"name": "Gala", "venueName": "Main Hall", "status": "available",
             "seatingConfig": {"rows": 2, "cols": 4, "sections": [{"name": "A", "price": 2000, "subsections": 1}]}}
            """;

    private final OpenApiContract contract = new OpenApiContract();
    private Ticketing ticketing;
    private TestServer server;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        ticketing = Ticketing.builder().build();
        server = JettyTestServer.start(TicketingHttp.builder(ticketing).principalResolver(TestPrincipals.resolver())
                .maxStreamsPerAddress(1).build());
        api = new ApiClient(server);
    }

    @AfterAll
    void stop() {
        server.close();
        ticketing.close();
    }

    @Test
    void everyEndpointAnswersAsDescribed() throws Exception {
        String seller = bearer(SELLER);
        String buyer = bearer(BUYER);
        // events
        contract.validRequest("POST", "/events", GALA);
        long id = contract.check("POST", "/events", api.post("/events", seller, GALA)).json().get("id").asLong();
        contract.check("POST", "/events", api.post("/events", null, GALA));
        contract.check("POST", "/events", api.post("/events", buyer, GALA));
        contract.check("POST", "/events", api.post("/events", seller, GALA.replace("\"Gala\"", "\"\"")));
        contract.check("POST", "/events", api.post("/events", seller, "{"));
        contract.check("POST", "/events", api.send("POST", "/events", seller, GALA, "text/plain"));
        contract.check("POST", "/events", api.post("/events", seller, "{\"name\": \"" + "x".repeat(2 << 20) + "\"}"));
        long draft = api.post("/events", seller, GALA.replace("available", "draft")).json().get("id").asLong();
        contract.check("GET", "/events", api.get("/events", null));
        contract.check("GET", "/events", api.get("/events?sellerId=3&limit=1", seller));
        contract.check("GET", "/events", api.get("/events?limit=0", null));
        contract.check("GET", "/events/{id}", api.get("/events/" + id, null));
        contract.check("GET", "/events/{id}", api.get("/events/" + draft, null));
        contract.check("GET", "/events/{id}", api.get("/events/" + id + "?a=%C3%28", null));
        contract.check("PATCH", "/events/{id}", api.patch("/events/" + draft, seller,
                contract.validRequest("PATCH", "/events/{id}", "{\"status\": \"available\"}")));
        contract.check("PATCH", "/events/{id}", api.patch("/events/" + draft, seller, "{}"));
        contract.check("PATCH", "/events/{id}", api.patch("/events/" + draft, seller, "{\"status\": \"draft\"}"));
        contract.check("PATCH", "/events/{id}", api.patch("/events/" + draft, null, "{\"active\": true}"));
        contract.check("PATCH", "/events/{id}", api.patch("/events/" + draft, buyer, "{\"active\": true}"));
        contract.check("PATCH", "/events/{id}", api.patch("/events/424242", seller, "{\"active\": true}"));
        String seats = "/events/{id}/sections/{section}/subsections/{n}/seats";
        contract.check("GET", seats, api.get("/events/" + id + "/sections/A/subsections/1/seats", null));
        contract.check("GET", seats, api.get("/events/" + id + "/sections/Z/subsections/1/seats", null));
        String changes = "/events/{id}/changes";
        contract.check("GET", changes, api.get("/events/" + id + "/changes?since=0&limit=10", seller));
        contract.check("GET", changes, api.get("/events/" + id + "/changes", null));
        contract.check("GET", changes, api.get("/events/" + id + "/changes", buyer));
        contract.check("GET", changes, api.get("/events/" + id + "/changes?limit=0", seller));
        contract.check("GET", changes, api.get("/events/424242/changes", seller));
        // reservations
        String reservations = "/events/{id}/reservations";
        String two = contract.validRequest("POST", reservations, "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2}");
        Response held = contract.check("POST", reservations,
                api.send("POST", "/events/" + id + "/reservations", buyer, two, "application/json", "Idempotency-Key", "k-1"));
        assertEquals(201, held.status());
        assertEquals(200, contract.check("POST", reservations, api.send("POST", "/events/" + id + "/reservations", buyer,
                two, "application/json", "Idempotency-Key", "k-1")).status());
        contract.check("POST", reservations, api.post("/events/" + id + "/reservations", buyer, contract.validRequest(
                "POST", reservations, "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 1, \"seat\": 1}]}")));
        contract.check("POST", reservations, api.post("/events/" + id + "/reservations", buyer, "{\"quantity\": 1}"));
        contract.check("POST", reservations, api.post("/events/" + id + "/reservations", null, two));
        contract.check("POST", reservations, api.post("/events/" + id + "/reservations", seller, two));
        contract.check("POST", reservations, api.post("/events/424242/reservations", buyer, two));
        String rid = held.json().get("id").asText();
        contract.check("GET", "/reservations/{id}", api.get("/reservations/" + rid, buyer));
        contract.check("GET", "/reservations/{id}", api.get("/reservations/" + rid, bearer(OTHER_BUYER)));
        contract.check("GET", "/reservations/{id}", api.get("/reservations/" + rid, seller));
        contract.check("GET", "/reservations/{id}", api.get("/reservations/" + rid, null));
        contract.check("POST", "/reservations/{id}/confirm", api.post("/reservations/" + rid + "/confirm", buyer,
                contract.validRequest("POST", "/reservations/{id}/confirm", "{\"paymentReference\": \"pay-1\"}")));
        contract.check("POST", "/reservations/{id}/confirm", api.post("/reservations/" + rid + "/confirm", buyer, "[]"));
        contract.check("POST", "/reservations/{id}/cancel", api.post("/reservations/" + rid + "/cancel", buyer, null));
        contract.check("POST", "/reservations/{id}/cancel", api.post("/reservations/" + rid + "/cancel", buyer,
                contract.validRequest("POST", "/reservations/{id}/cancel", "{}")));
        contract.check("POST", "/reservations/{id}/confirm", api.post("/reservations/" + rid + "/confirm", buyer, null));
        contract.check("GET", "/me/reservations", api.get("/me/reservations?limit=1", buyer));
        contract.check("GET", "/me/reservations", api.get("/me/reservations?status=held&eventId=" + id, buyer));
        contract.check("GET", "/me/reservations", api.get("/me/reservations?status=gone", buyer));
        contract.check("GET", "/me/reservations", api.get("/me/reservations", seller));
        contract.check("GET", "/me/reservations", api.get("/me/reservations", null));
        // streams
        String stream = "/events/{id}/stream";
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"))) {
            contract.check("GET", stream, sse.status(), sse.headers(), null);
            try (SseRecorder second = SseRecorder.open(server.uri("/events/" + id + "/stream"))) {
                contract.check("GET", stream, second.status(), second.headers(), second.errorBody().toString());
            }
        }
        try (SseRecorder unknown = SseRecorder.open(server.uri("/events/424242/stream"))) {
            contract.check("GET", stream, unknown.status(), unknown.headers(), unknown.errorBody().toString());
        }
        Response token = contract.check("POST", "/stream-tokens", api.post("/stream-tokens", seller, null));
        contract.check("POST", "/stream-tokens", api.post("/stream-tokens", null, null));
        try (SseRecorder withToken = SseRecorder.open(server.uri("/events/" + draft + "/stream?streamToken="
                + token.json().get("token").asText()))) {
            // 200, or 429 while the node still counts a stream closed above against this address's cap of 1
            contract.check("GET", stream, withToken.status(), withToken.headers(),
                    withToken.status() == 200 ? null : withToken.errorBody().toString());
        }
        try (SseRecorder badToken = SseRecorder.open(server.uri("/events/" + id + "/stream?streamToken=bad"))) {
            contract.check("GET", stream, badToken.status(), badToken.headers(), badToken.errorBody().toString());
        }
        // 429 while the node still counts a stream closed above against this address's cap of 1, then 200
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (SseRecorder own = SseRecorder.open(server.uri("/me/stream"), "Authorization", buyer)) {
                contract.check("GET", "/me/stream", own.status(), own.headers(),
                        own.status() == 200 ? null : own.errorBody().toString());
                return own.status() == 200;
            }
        });
        try (SseRecorder anonymous = SseRecorder.open(server.uri("/me/stream"))) {
            contract.check("GET", "/me/stream", anonymous.status(), anonymous.headers(),
                    anonymous.errorBody().toString());
        }
        // 429 while the node still counts a stream closed above against this address's cap of 1, then 200
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (SseRecorder many = SseRecorder.open(server.uri("/stream?events=" + id))) {
                contract.check("GET", "/stream", many.status(), many.headers(),
                        many.status() == 200 ? null : many.errorBody().toString());
                return many.status() == 200;
            }
        });
        try (SseRecorder bad = SseRecorder.open(server.uri("/stream?events=x"))) {
            contract.check("GET", "/stream", bad.status(), bad.headers(), bad.errorBody().toString());
        }
        try (SseRecorder unknown = SseRecorder.open(server.uri("/stream?events=424242"))) {
            contract.check("GET", "/stream", unknown.status(), unknown.headers(), unknown.errorBody().toString());
        }
        contract.check("GET", "/stream/stats", api.get("/stream/stats", null));
        contract.check("GET", "/openapi.json", api.get("/openapi.json", null));
        contract.check("GET", "/ticketing-client.js", api.get("/ticketing-client.js", null));

        Set<String> successes = new TreeSet<>();
        contract.answered().stream().filter(a -> a.matches(".* 2\\d\\d")).forEach(a -> successes.add(a.substring(0, a.lastIndexOf(' '))));
        assertEquals(contract.operations(), successes, "every operation answered with success");
        Set<String> errorStatuses = new TreeSet<>();
        contract.answered().forEach(a -> errorStatuses.add(a.substring(a.lastIndexOf(' ') + 1)));
        assertEquals(Set.of("200", "201", "400", "401", "403", "404", "409", "413", "415", "429"), errorStatuses);
    }

    @Test
    void requestsTheServerRefusesBreakTheDescribedSchemas() {
        String reservations = "/events/{id}/reservations";
        for (String body : new String[] {"{}", "{\"quantity\": 1}",
                "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 1, \"seat\": 1}], \"section\": \"A\", \"subsection\": 1, \"quantity\": 1}",
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 51}"}) {
            assertFalse(contract.requestErrors("POST", reservations, body).isEmpty(), body);
        }
        assertFalse(contract.requestErrors("PATCH", "/events/{id}", "{}").isEmpty());
        assertFalse(contract.requestErrors("POST", "/events", GALA.replace("\"rows\": 2", "\"rows\": 0")).isEmpty());
        assertFalse(contract.requestErrors("POST", "/events", GALA.replace("\"Gala\"", "\"Gala\", \"extra\": 1")).isEmpty());
    }

    @Test
    void theServedDescriptionIsTheShippedOneWithTheMountAsServer() {
        Response served = api.get("/openapi.json", null);
        assertEquals(200, served.status());
        ObjectNode expected = contract.document().deepCopy();
        expected.putArray("servers").addObject().put("url", server.api().getPath());
        assertEquals(expected, served.json());
    }

    @Test
    void theDescriptionCanBeTurnedOff() throws Exception {
        Ticketing own = Ticketing.builder().build();
        try (TestServer ownServer = JettyTestServer.start(TicketingHttp.builder(own).serveOpenApi(false).build())) {
            JsonNode error = new ApiClient(ownServer).get("/openapi.json", null).json();
            assertEquals("not_found", error.at("/error/code").asText());
        } finally {
            own.close();
        }
    }
}
