package io.ticketing.servlet;

import static io.ticketing.servlet.testing.TestPrincipals.bearer;
import static java.util.stream.Collectors.toCollection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.User;
import io.ticketing.servlet.testing.ApiClient;
import io.ticketing.servlet.testing.ApiClient.Response;
import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.OpenApiContract;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.SwitchableStore;
import io.ticketing.servlet.testing.TestPrincipals;
import io.ticketing.servlet.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real answers of every endpoint, successes and errors, validate against the OpenAPI 3.1 description the
 * servlet ships and serves at {@code <mount>/openapi.json}: every operation answers every status it declares
 * (a store outage and a failing resolver included), a path or method the description lacks is its shared
 * {@code NotFound} or {@code MethodNotAllowed}, and {@code docs/http-api.md} lists exactly its operations.
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
    /** Changes the in-memory store keeps per event: few, so that a test reaches {@code 410 history_expired}. */
    private static final int CHANGE_LOG_SIZE = 2;
    /** The request body limit of this test's server: small, so that a refused body is a small one. */
    private static final int MAX_BODY = 4096;
    /** Declared answers this test does not provoke: the connection counts fail only if the JVM does. */
    private static final Set<String> UNREACHABLE = Set.of("GET /stream/stats 500");
    /** Operations that answer with the store down. */
    private static final Set<String> STORELESS = Set.of("/stream-tokens");
    /** A row of the endpoint table of {@code docs/http-api.md}: {@code | `GET /events` | …}. */
    private static final Pattern ENDPOINT_ROW = Pattern.compile("^\\| `(GET|POST|PATCH|PUT|DELETE) (/\\S*)` \\|");

    private final OpenApiContract contract = new OpenApiContract();
    private final SwitchableStore store = new SwitchableStore(
            InMemoryTicketStore.builder().changeLogSize(CHANGE_LOG_SIZE).build());
    private Ticketing ticketing;
    private TestServer server;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        ticketing = Ticketing.builder().store(store).build();
        server = JettyTestServer.start(TicketingHttp.builder(ticketing).principalResolver(TestPrincipals.resolver())
                .maxStreamsPerAddress(1).maxRequestBodyBytes(MAX_BODY).build());
        api = new ApiClient(server);
    }

    @AfterAll
    void stop() {
        server.close();
        ticketing.close();
    }

    @Test
    void everyEndpointAnswersEveryDescribedStatus() throws Exception {
        String seller = bearer(SELLER);
        String buyer = bearer(BUYER);
        // events
        contract.validRequest("POST", "/events", GALA);
        long id = contract.check("POST", "/events", api.post("/events", seller, GALA)).json().get("id").asLong();
        contract.check("POST", "/events", api.post("/events", null, GALA));
        contract.check("POST", "/events", api.post("/events", buyer, GALA));
        contract.check("POST", "/events", api.post("/events", seller, GALA.replace("\"Gala\"", "\"\"")));
        contract.check("POST", "/events", api.post("/events", seller, "{"));
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
        contract.check("GET", seats, api.get("/events/" + id + "/sections/A/subsections/1/seats?a=%C3%28", null));
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
        String firstSeat = contract.validRequest("POST", reservations,
                "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 2, \"seat\": 4}]}");
        contract.check("POST", reservations, api.post("/events/" + id + "/reservations", buyer, firstSeat));
        contract.check("POST", reservations, api.post("/events/" + id + "/reservations", bearer(OTHER_BUYER), firstSeat));
        contract.check("POST", reservations, api.post("/events/" + id + "/reservations", buyer, "{\"quantity\": 1}"));
        contract.check("POST", reservations, api.post("/events/" + id + "/reservations", null, two));
        contract.check("POST", reservations, api.post("/events/" + id + "/reservations", seller, two));
        contract.check("POST", reservations, api.post("/events/424242/reservations", buyer, two));
        String rid = held.json().get("id").asText();
        contract.check("GET", "/reservations/{id}", api.get("/reservations/" + rid, buyer));
        contract.check("GET", "/reservations/{id}", api.get("/reservations/" + rid, bearer(OTHER_BUYER)));
        contract.check("GET", "/reservations/{id}", api.get("/reservations/" + rid, seller));
        contract.check("GET", "/reservations/{id}", api.get("/reservations/" + rid, null));
        contract.check("GET", "/reservations/{id}", api.get("/reservations/" + rid + "?a=%C3%28", buyer));
        for (String action : new String[] {"confirm", "cancel"}) {
            String template = "/reservations/{id}/" + action;
            contract.check("POST", template, api.post("/reservations/" + rid + "/" + action, null, null));
            contract.check("POST", template, api.post("/reservations/" + rid + "/" + action, seller, null));
            contract.check("POST", template, api.post("/reservations/nothing-here/" + action, buyer, null));
            contract.check("POST", template, api.post("/reservations/" + rid + "/" + action, buyer, "[]"));
        }
        contract.check("POST", "/reservations/{id}/confirm", api.post("/reservations/" + rid + "/confirm", buyer,
                contract.validRequest("POST", "/reservations/{id}/confirm", "{\"paymentReference\": \"pay-1\"}")));
        contract.check("POST", "/reservations/{id}/cancel", api.post("/reservations/" + rid + "/cancel", buyer, null));
        contract.check("POST", "/reservations/{id}/cancel", api.post("/reservations/" + rid + "/cancel", buyer,
                contract.validRequest("POST", "/reservations/{id}/cancel", "{}")));
        contract.check("POST", "/reservations/{id}/confirm", api.post("/reservations/" + rid + "/confirm", buyer, null));
        // the log keeps the last CHANGE_LOG_SIZE changes: the reservations above pushed the first ones out
        contract.check("GET", changes, api.get("/events/" + id + "/changes?since=0", seller));
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
        contract.check("GET", stream, api.get("/events/424242/stream", null));
        contract.check("GET", stream, api.get("/events/" + id + "/stream?seats=Z:9", null));
        Response token = contract.check("POST", "/stream-tokens", api.post("/stream-tokens", seller, null));
        contract.check("POST", "/stream-tokens", api.post("/stream-tokens", null, null));
        contract.check("POST", "/stream-tokens", api.post("/stream-tokens", seller, "{\"x\": 1}"));
        try (SseRecorder withToken = SseRecorder.open(server.uri("/events/" + draft + "/stream?streamToken="
                + token.json().get("token").asText()))) {
            // 200, or 429 while the node still counts a stream closed above against this address's cap of 1
            contract.check("GET", stream, withToken.status(), withToken.headers(),
                    withToken.status() == 200 ? null : withToken.errorBody().toString());
        }
        contract.check("GET", stream, api.get("/events/" + id + "/stream?streamToken=bad", null));
        // 429 while the node still counts a stream closed above against this address's cap of 1, then 200
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (SseRecorder own = SseRecorder.open(server.uri("/me/stream"), "Authorization", buyer)) {
                contract.check("GET", "/me/stream", own.status(), own.headers(),
                        own.status() == 200 ? null : own.errorBody().toString());
                return own.status() == 200;
            }
        });
        contract.check("GET", "/me/stream", api.get("/me/stream", null));
        contract.check("GET", "/me/stream", api.get("/me/stream?a=%C3%28", buyer));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (SseRecorder lobby = SseRecorder.open(server.uri("/stream?all=true"))) {
                contract.check("GET", "/stream", lobby.status(), lobby.headers(),
                        lobby.status() == 200 ? null : lobby.errorBody().toString());
                return lobby.status() == 200;
            }
        });
        try (SseRecorder badLobby = SseRecorder.open(server.uri("/stream?all=false"))) {
            contract.check("GET", "/stream", badLobby.status(), badLobby.headers(), badLobby.errorBody().toString());
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
        contract.check("GET", "/stream", api.get("/stream?events=" + id + "&streamToken=bad", null));
        contract.check("GET", "/stream/stats", api.get("/stream/stats", null));
        contract.check("GET", "/stream/stats", api.get("/stream/stats?a=%C3%28", null));
        contract.check("GET", "/openapi.json", api.get("/openapi.json", null));
        Response script = contract.check("GET", "/ticketing-client.js", api.get("/ticketing-client.js", null));
        contract.check("GET", "/ticketing-client.js", api.send("GET", "/ticketing-client.js", null, null, null,
                "If-None-Match", script.header("ETag")));

        // every operation, asked well by the right user: refused bodies, a resolver that fails, a store that is down
        List<Call> calls = List.of(
                new Call("POST", "/events", "/events", seller, GALA),
                new Call("GET", "/events", "/events", seller, null),
                new Call("GET", "/events/{id}", "/events/" + id, seller, null),
                new Call("PATCH", "/events/{id}", "/events/" + id, seller, "{\"active\": true}"),
                new Call("GET", seats, "/events/" + id + "/sections/A/subsections/1/seats", seller, null),
                new Call("GET", changes, "/events/" + id + "/changes", seller, null),
                new Call("POST", reservations, "/events/" + id + "/reservations", buyer, two),
                new Call("GET", "/reservations/{id}", "/reservations/" + rid, buyer, null),
                new Call("POST", "/reservations/{id}/confirm", "/reservations/" + rid + "/confirm", buyer, "{}"),
                new Call("POST", "/reservations/{id}/cancel", "/reservations/" + rid + "/cancel", buyer, "{}"),
                new Call("GET", "/me/reservations", "/me/reservations", buyer, null),
                new Call("POST", "/stream-tokens", "/stream-tokens", buyer, "{}"),
                new Call("GET", stream, "/events/" + id + "/stream", buyer, null),
                new Call("GET", "/me/stream", "/me/stream", buyer, null),
                new Call("GET", "/stream", "/stream?events=" + id, buyer, null));
        // over the limit but within the socket buffers: a 413 that closes the connection before reading the
        // body must not break the client's write of it
        String tooLarge = "{\"name\": \"" + "x".repeat(2 * MAX_BODY) + "\"}";
        for (Call call : calls) {
            if (call.body() != null) {
                contract.check(call.method(), call.template(),
                        api.send(call.method(), call.path(), call.authorization(), tooLarge, "application/json"));
                contract.check(call.method(), call.template(),
                        api.send(call.method(), call.path(), call.authorization(), call.body(), "text/plain"));
            }
            contract.check(call.method(), call.template(),
                    api.send(call.method(), call.path(), "Bearer boom", call.body(), call.contentType()));
        }
        store.down = true;
        try {
            for (Call call : calls) {
                // a stream waits while the node still counts one closed above against this address's cap of 1
                Response answer = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> api.send(call.method(),
                        call.path(), call.authorization(), call.body(), call.contentType()), r -> r.status() != 429);
                int status = contract.check(call.method(), call.template(), answer).status();
                // tokens need no store; every stream reads the store before it opens
                assertEquals(STORELESS.contains(call.template()) ? 200 + (call.method().equals("POST") ? 1 : 0) : 503,
                        status, call.toString());
            }
        } finally {
            store.down = false;
        }

        assertEquals(contract.declaredAnswers().stream().filter(a -> !UNREACHABLE.contains(a)).collect(toCollection(TreeSet::new)),
                contract.answered(), "every operation answered with every status it declares");
    }

    @Test
    void aPathOrMethodTheDescriptionLacksIsTheSharedErrorItDescribes() throws Exception {
        long id = api.post("/events", bearer(SELLER), GALA).json().get("id").asLong();
        Set<String> templates = new TreeSet<>();
        contract.document().get("paths").fieldNames().forEachRemaining(templates::add);
        for (String template : templates) {
            String path = template.replace("{id}", Long.toString(id)).replace("{section}", "A").replace("{n}", "1");
            for (String method : new String[] {"PUT", "DELETE", "OPTIONS"}) {
                Response refused = contract.checkShared("MethodNotAllowed", api.send(method, path, null, null, null));
                Set<String> allowed = new TreeSet<>(List.of(refused.header("Allow").split(", ")));
                assertEquals(contract.methods(template), allowed, method + " " + path);
            }
            for (String method : List.of("GET", "POST", "PATCH")) {
                if (!contract.methods(template).contains(method)) {
                    contract.checkShared("MethodNotAllowed", api.send(method, path, null, null, null));
                }
            }
        }
        for (String unknown : List.of("/", "/nothing", "/events/" + id + "/nothing", "/me", "/events/1/2/3")) {
            contract.checkShared("NotFound", api.get(unknown, null));
            contract.checkShared("NotFound", api.send("DELETE", unknown, null, null, null));
        }
    }

    @Test
    void theReferenceDocumentsExactlyTheDescribedOperations() throws Exception {
        Set<String> documented = new TreeSet<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(Path.of("..", "docs", "http-api.md"))) {
            if (line.startsWith("## ")) {
                inTable = line.equals("## Endpoints");
            }
            Matcher row = ENDPOINT_ROW.matcher(line);
            if (inTable && row.find()) {
                documented.add(row.group(1) + " " + row.group(2));
            }
        }
        assertEquals(contract.operations(), documented, "docs/http-api.md's endpoint table and openapi.json");
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

    /** A well-formed request of one operation by a user it serves; {@code body} is JSON or null. */
    private record Call(String method, String template, String path, String authorization, String body) {
        String contentType() {
            return body == null ? null : "application/json";
        }
    }
}
