package io.ticketing.servlet;

import static io.ticketing.servlet.testing.TestPrincipals.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.CapturedLog;
import io.ticketing.core.testing.Drafts;
import io.ticketing.servlet.testing.ApiClient;
import io.ticketing.servlet.testing.ApiClient.Response;
import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.OkHttpSseRecorder;
import io.ticketing.servlet.testing.RawHttpConnection;
import io.ticketing.servlet.testing.SeatChurn;
import io.ticketing.servlet.testing.SeatMapView;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP and SSE contract of {@code api.md}, over real HTTP, run once per servlet container by its
 * subclasses. Most tests share one server; tests of caps, slow clients and shutdown start their own.
 */
abstract class AbstractTicketingHttpIT extends AbstractHttpIT {
    static final User OTHER_SELLER = User.seller(4);
    static final User BUYER = User.buyer(7);
    static final User OTHER_BUYER = User.buyer(8);

    /** What the servers log during each test: checked where a test provokes it, printed if a test fails. */
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private static final String GALA = """
            {"name": "Spring Gala", "description": "An evening", "venueName": "Main Hall", "status": "available",
             "seatingConfig": {"rows": 25, "cols": 20, "sections": [{"name": "A", "price": 2000, "subsections": 2}]}}
            """;

    // ---- events -------------------------------------------------------------------------------------

    @Test
    void createEventAnswers201WithLocationAndEventBody() {
        Response r = api.post("/events", bearer(SELLER), GALA);
        assertEquals(201, r.status(), r.body());
        JsonNode body = r.json();
        long id = body.get("id").asLong();
        assertEquals(server.api().getPath() + "/events/" + id, r.header("Location"));
        assertEquals("Spring Gala", body.get("name").asText());
        assertEquals(3, body.get("sellerId").asLong());
        assertEquals("available", body.get("status").asText());
        assertTrue(body.get("active").asBoolean());
        assertEquals(2, body.at("/seatingConfig/sections/0/subsections").asInt());
        assertTrue(body.get("createdAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        JsonNode statistics = body.get("statistics");
        assertEquals(1000, statistics.get("totalTickets").asInt());
        assertEquals(1000, statistics.get("remainingTickets").asInt());
        assertEquals(2, statistics.get("sections").size());
        assertEquals("event.created", statistics.at("/lastEvent/type").asText());
    }

    @Test
    void writingWithoutAValidTokenIs401WithBearerChallenge() {
        for (String authorization : new String[] {null, "Bearer not-a-token", "Basic abc"}) {
            Response r = api.post("/events", authorization, GALA);
            assertError(r, 401, "unauthorized");
            assertEquals("Bearer", r.header("WWW-Authenticate"));
        }
    }

    @Test
    void creatingAnEventAsABuyerIs403() {
        assertError(api.post("/events", bearer(BUYER), GALA), 403, "forbidden");
    }

    @Test
    void invalidDraftIs400WithTheOffendingField() {
        Response r = api.post("/events", bearer(SELLER), GALA.replace("\"Spring Gala\"", "\"  \""));
        assertInvalid(r, "name");
        Response rows = api.post("/events", bearer(SELLER), GALA.replace("\"rows\": 25", "\"rows\": 0"));
        assertEquals("seatingConfig.rows", rows.json().at("/error/field").asText());
    }

    @Test
    void malformedJsonIs400MalformedJson() {
        Response truncated = api.post("/events", bearer(SELLER), "{\"name\": ");
        assertError(truncated, 400, "malformed_json");
        String message = truncated.json().get("error").get("message").asText();
        assertTrue(message.contains("at line 1, column"), message);
        assertFalse(message.contains("Source") || message.contains("StreamReadFeature"), "no parser internals: " + message);
        assertError(api.post("/events", bearer(SELLER), "not json"), 400, "malformed_json");
        assertError(api.send("POST", "/events", bearer(SELLER), null, null), 400, "malformed_json");
    }

    @Test
    void unknownPropertyIs400ValidationFailedNamingIt() {
        Response r = api.post("/events", bearer(SELLER), GALA.replace("\"rows\": 25", "\"rows\": 25, \"floors\": 2"));
        assertInvalid(r, "seatingConfig.floors");
    }

    @Test
    void wrongTypesAre400ValidationFailedWithField() {
        Response text = api.post("/events", bearer(SELLER), GALA.replace("\"rows\": 25", "\"rows\": \"25\""));
        assertInvalid(text, "seatingConfig.rows");
        Response fraction = api.post("/events", bearer(SELLER), GALA.replace("\"rows\": 25", "\"rows\": 2.5"));
        assertEquals("seatingConfig.rows", fraction.json().at("/error/field").asText());
        Response huge = api.post("/events", bearer(SELLER), GALA.replace("\"rows\": 25", "\"rows\": 99999999999999999999"));
        assertInvalid(huge, "seatingConfig.rows");
        Response price = api.post("/events", bearer(SELLER), GALA.replace("\"price\": 2000", "\"price\": [1]"));
        assertEquals("seatingConfig.sections[0].price", price.json().at("/error/field").asText());
        Response status = api.post("/events", bearer(SELLER), GALA.replace("\"available\"", "\"on_fire\""));
        assertInvalid(status, "status");
        Response array = api.post("/events", bearer(SELLER), "[]");
        assertError(array, 400, "validation_failed");
    }

    @Test
    void missingRequiredFieldIs400ValidationFailedWithField() {
        Response r = api.post("/events", bearer(SELLER), """
                {"name": "No seats"}""");
        assertInvalid(r, "seatingConfig");
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        String big = GALA.replace("\"An evening\"", "\"" + "x".repeat(1024 * 1024) + "\"");
        assertError(api.post("/events", bearer(SELLER), big), 413, "payload_too_large");
    }

    @Test
    void aBodyOverTheLimitIsReadToItsEndAfterThe413SoASlowClientCanFinishSendingIt() throws Exception {
        int declared = 2 * 1024 * 1024; // over the 1 MiB limit, within what the server reads after answering
        try (RawHttpConnection raw = RawHttpConnection.open(server.uri(""), 64 * 1024)) {
            raw.send(requestHead("POST", server.uri("/events"), declared, "Authorization: " + bearer(SELLER)));
            String head = raw.readHead(); // answered from the head alone, before any of the body is sent
            assertTrue(head.startsWith("HTTP/1.1 413"), head);
            assertTrue(head.toLowerCase(Locale.ROOT).contains("connection: close"), head);
            raw.readBody(contentLength(head));
            String chunk = "x".repeat(64 * 1024);
            for (int sent = 0; sent < declared; sent += chunk.length()) {
                // a server that gave up on the body and closed resets the connection: a write then fails
                raw.send(chunk);
                // Pacing, not waiting: a slow client, so that a container's few reads of leftover content
                // do not reach the body's end. No assertion depends on the pace: the fixed server reads for
                // as long as the client sends (up to its idle timeout, 30 s and more, against 10 ms gaps).
                Thread.sleep(10);
            }
            assertTrue(raw.closedByServer(), "the server closes the connection once it has read the body");
        }
    }

    @Test
    void nonJsonContentTypeOnABodyIs415() {
        Response refused = api.send("POST", "/events", bearer(SELLER), GALA, "text/plain");
        assertError(refused, 415, "unsupported_media_type");
        assertEquals("close", refused.header("Connection"), "a refused, unread body ends the connection");
        assertError(api.send("POST", "/events", bearer(SELLER), GALA, null), 415, "unsupported_media_type");
        assertEquals(201, api.send("POST", "/events", bearer(SELLER), GALA, "application/json; charset=utf-8").status());
    }

    @Test
    void anErrorAnsweredBeforeTheBodyWasReadSaysTheConnectionCloses() throws Exception {
        try (RawHttpConnection raw = RawHttpConnection.open(server.uri(""), 64 * 1024)) {
            // the head alone, as from a slow client: the answer comes before the body
            raw.send(requestHead("POST", server.uri("/stream/stats"), 2));
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 405"), head);
            assertTrue(head.toLowerCase(Locale.ROOT).contains("connection: close"), head);
            raw.readBody(contentLength(head));
            raw.send("{}"); // the late body, which a container may wait for before it closes
            assertTrue(raw.closedByServer(), "the server closes the connection it said it would close");
        }
    }

    @Test
    void anErrorAfterTheBodyWasReadKeepsTheConnection() throws Exception {
        try (RawHttpConnection raw = RawHttpConnection.open(server.uri(""), 64 * 1024)) {
            String body = "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}";
            raw.send(requestHead("POST", server.uri("/events/424242/reservations"), body.length(),
                    "Authorization: " + bearer(BUYER)) + body);
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 404"), head);
            assertFalse(head.toLowerCase(Locale.ROOT).contains("connection: close"), head);
            raw.readBody(contentLength(head));
            raw.send(requestHead("GET", server.uri("/events"), 0));
            assertTrue(raw.readHead().startsWith("HTTP/1.1 200"), "the same connection serves the next request");
        }
    }

    private static String requestHead(String method, URI uri, int contentLength, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + uri.getRawPath() + " HTTP/1.1\r\nHost: "
                + uri.getHost() + ":" + uri.getPort() + "\r\n");
        if (contentLength > 0) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(contentLength).append("\r\n");
        }
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        throw new AssertionError("no Content-Length in " + head);
    }

    @Test
    void badPathIdsAre404NeverServerErrors() {
        for (String id : new String[] {"-1", "0", "99999999999999999999", "abc", "1.5", "%20"}) {
            assertError(api.get("/events/" + id, null), 404, "not_found");
            assertError(api.get("/events/" + id + "/stream", null), 404, "not_found");
            assertError(api.post("/events/" + id + "/reservations", bearer(BUYER), "{}"), 404, "not_found");
            assertError(api.get("/events/1/sections/A/subsections/" + id + "/seats", null), 404, "not_found");
        }
        assertError(api.get("/reservations/r-unknown", bearer(BUYER)), 404, "not_found");
        assertError(api.get("/events/424242", null), 404, "not_found");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        assertError(api.get("/nothing/here", null), 404, "not_found");
        assertError(api.get("", null), 404, "not_found");
        Response r = api.send("DELETE", "/events", bearer(SELLER), null, null);
        assertError(r, 405, "method_not_allowed");
        assertEquals("GET, POST", r.header("Allow"));
        assertError(api.post("/stream/stats", null, "{}"), 405, "method_not_allowed");
    }

    @Test
    void serverErrorIsJsonWithoutStackTrace() {
        Response r = api.get("/events", "Bearer boom");
        assertError(r, 500, "internal");
        assertEquals("internal error", r.json().at("/error/message").asText());
        assertFalse(r.body().contains("Exception"), r.body());
        assertFalse(r.body().contains("at io."), r.body());
        assertTrue(log.text().contains("GET /api/events failed"), "the 500 is logged with its cause");
    }

    // ---- hostile input ------------------------------------------------------------------------------

    @Test
    void errorsTheContainerFindsAreJson4xxAndLogNoStackTrace() throws Exception {
        String[] requests = {
                "GET /api/events/%zz HTTP/1.1",
                "GET /api/events?limit=%zz HTTP/1.1",
                "GET /api/events?limit=% HTTP/1.1",
                "GET /api/events?cursor=%C3%28 HTTP/1.1",
                "GET /api/events/1/stream?access_token=%zz HTTP/1.1",
                "GET /api/events?limit=5&limit=7 HTTP/1.1",
                "GET /api/reservations/r-%00 HTTP/1.1",
                "GET /api/events/1/sections/%C3%28/subsections/1/seats HTTP/1.1",
                "GET /api/events/1/sections/%2F/subsections/1/seats HTTP/1.1",
                "POST /api/events HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: abc",
                "POST /api/events HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: -5",
                "POST /api/events HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999999",
                "POST /api/events HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "GET /api/events HTTP/1.1\r\nBad Header: x",
                "GET /api/events HTTP/1.1\r\nX-Nul: a\u0000b",
        };
        for (String request : requests) {
            assertJsonError(RawHttpConnection.exchange(server.api(), request), 400, 499, request);
        }
        assertJsonError(RawHttpConnection.exchange(server.api(), "GET /api/events HTTP/9.9"), 505, 505, "HTTP/9.9");
        String logged = log.text();
        assertFalse(logged.contains("\tat ") || logged.contains(" WARN ") || logged.contains(" ERROR "), logged);
    }

    @Test
    void errorsTheContainerFindsCarryTheCorsHeadersOfAnAllowedOriginWhereTheContainerKeepsTheHeaders() throws Exception {
        // an encoded / or NUL in the path: refused by the container before the API's servlet runs
        for (String path : List.of("/api/events/1/sections/%2F/subsections/1/seats", "/api/reservations/r-%00")) {
            for (String origin : List.of(ALLOWED_ORIGIN, "https://elsewhere.example")) {
                String request = "GET " + path + " HTTP/1.1\r\nOrigin: " + origin;
                String response = RawHttpConnection.exchange(server.api(), request);
                assertJsonError(response, 400, 499, request);
                String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
                assertEquals(origin.equals(ALLOWED_ORIGIN) && keepsTheHeadersOfARequestItRefuses(),
                        head.contains("access-control-allow-origin: " + origin), request + " -> " + response);
            }
        }
    }

    /**
     * Whether this container's error handler sees the headers of a request it refused on its own, so that
     * the library's handler can add the CORS headers (Tomcat); Jetty 12 hands its error handler a request
     * without them.
     */
    abstract boolean keepsTheHeadersOfARequestItRefuses();

    @Test
    void oversizedRequestsAreJson4xx() throws Exception {
        assertJsonError(RawHttpConnection.exchange(server.api(), "GET /api/events HTTP/1.1\r\nX-Big: " + "x".repeat(70_000)),
                400, 499, "a 70 kB header");
        assertJsonError(RawHttpConnection.exchange(server.api(), "GET /api/events?" + "a=1&".repeat(5_000) + " HTTP/1.1"),
                400, 499, "a 20 kB URI");
    }

    @Test
    void aLastEventIdThatIsNoVersionOfThisStoreResetsAndStartsFromTheCurrentSnapshot() throws Exception {
        long id = newEvent(Drafts.gala());
        long version = ticketing.statistics().current(id, null).version();
        for (String lastEventId : new String[] {"-1", "99999999999999999999999", "1e3", "x".repeat(2000),
                version + "-otherepoch"}) {
            try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"), "Last-Event-ID", lastEventId)) {
                assertEquals(200, sse.status());
                SseRecorder.Message reset = sse.nextEvent(WAIT);
                assertEquals("reset", reset.event(), reset::toString);
                assertTrue(SseRecorder.json(reset).get("reason").asText().length() > 0, reset::toString);
                sse.assertEvent("initial_status", version);
            }
        }
    }

    @Test
    void wrongJsonTypesInEveryBodyAre400WithTheirFieldAndChangeNothing() {
        long id = newEvent(Drafts.gala());
        String rid = api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}").json().get("id").asText();
        long version = ticketing.statistics().current(id, null).version();
        String reserve = "/events/" + id + "/reservations";
        String[][] cases = {
                // method, path, body, field
                {"POST", "/events", GALA.replace("\"Spring Gala\"", "5"), "name"},
                {"POST", "/events", GALA.replace("\"An evening\"", "true"), "description"},
                {"POST", "/events", GALA.replace("\"Main Hall\"", "1.5"), "venueName"},
                {"POST", "/events", GALA.replace("\"name\": \"A\"", "\"name\": 65"), "seatingConfig.sections[0].name"},
                {"POST", "/events", GALA.replace("\"price\": 2000", "\"price\": \"2000\""), "seatingConfig.sections[0].price"},
                {"POST", "/events", GALA.replace("\"subsections\": 2", "\"subsections\": 2.0"), "seatingConfig.sections[0].subsections"},
                {"POST", "/events", GALA.replace("\"cols\": 20", "\"cols\": true"), "seatingConfig.cols"},
                {"POST", "/events", GALA.replace("\"sections\": [", "\"sections\": {\"a\": ["), "seatingConfig.sections"},
                {"POST", reserve, "{\"section\": 1, \"subsection\": 1, \"quantity\": 1}", "section"},
                {"POST", reserve, "{\"section\": \"A\", \"subsection\": \"1\", \"quantity\": 1}", "subsection"},
                {"POST", reserve, "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1.5}", "quantity"},
                {"POST", reserve, "{\"seats\": {}}", "seats"},
                {"POST", reserve, "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": \"1\", \"seat\": 1}]}", "seats[0].row"},
                {"POST", "/reservations/" + rid + "/confirm", "{\"paymentReference\": 5}", "paymentReference"},
                {"POST", "/reservations/" + rid + "/confirm", "{\"paymentReference\": [\"p\"]}", "paymentReference"},
                {"PATCH", "/events/" + id, "{\"active\": \"false\"}", "active"},
                {"PATCH", "/events/" + id, "{\"active\": 0}", "active"},
                {"PATCH", "/events/" + id, "{\"status\": 1}", "status"},
        };
        for (String[] c : cases) {
            String auth = c[0].equals("PATCH") || c[1].equals("/events") ? bearer(SELLER) : bearer(BUYER);
            Response r = api.send(c[0], c[1], auth, c[2], "application/json");
            assertInvalid(r, c[3]);
        }
        assertError(api.post("/reservations/" + rid + "/cancel", bearer(BUYER), "[]"), 400, "validation_failed");
        assertEquals(version, ticketing.statistics().current(id, null).version());
        assertEquals("held", api.get("/reservations/" + rid, bearer(BUYER)).json().get("status").asText());
        assertTrue(ticketing.events().get(id, SELLER).active());
    }

    @Test
    void pricesAboveOneBillionAre400AndTheLargestTotalIsExact() {
        Response tooHigh = api.post("/events", bearer(SELLER), GALA.replace("\"price\": 2000", "\"price\": 1000000001"));
        assertInvalid(tooHigh, "seatingConfig.sections[0].price");
        Response huge = api.post("/events", bearer(SELLER), GALA.replace("\"price\": 2000", "\"price\": 9223372036854775807"));
        assertEquals("seatingConfig.sections[0].price", huge.json().at("/error/field").asText(), huge.body());
        long id = api.post("/events", bearer(SELLER), GALA.replace("\"price\": 2000", "\"price\": 1000000000"))
                .json().get("id").asLong();
        Response fifty = api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 50}");
        assertEquals(201, fifty.status(), fifty.body());
        assertEquals(50_000_000_000L, fifty.json().get("totalPrice").asLong());
    }

    @Test
    void controlCharactersAndLoneSurrogatesAre400AndOtherTextComesBackExactly() {
        String[][] cases = {
                {"/events", GALA.replace("\"Spring Gala\"", "\"Gala\\u0000\""), "name"},
                {"/events", GALA.replace("\"Spring Gala\"", "\"Gala\\nNight\""), "name"},
                {"/events", GALA.replace("\"An evening\"", "\"\\ud800 evening\""), "description"},
                {"/events", GALA.replace("\"Main Hall\"", "\"Hall\\u001b[31m\""), "venueName"},
        };
        for (String[] c : cases) {
            Response r = api.post(c[0], bearer(SELLER), c[1]);
            assertInvalid(r, c[2]);
        }
        Response made = api.post("/events", bearer(SELLER), GALA.replace("\"An evening\"", "\"Line 1\\r\\nLine 2\\t\\ud83c\\udf89\""));
        assertEquals(201, made.status(), made.body());
        long id = made.json().get("id").asLong();
        assertEquals("Line 1\r\nLine 2\t\ud83c\udf89", api.get("/events/" + id, null).json().get("description").asText());
        String rid = api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}").json().get("id").asText();
        Response nul = api.post("/reservations/" + rid + "/confirm", bearer(BUYER), "{\"paymentReference\": \"p\\u0000\"}");
        assertInvalid(nul, "paymentReference");
        assertEquals("held", api.get("/reservations/" + rid, bearer(BUYER)).json().get("status").asText());
    }

    @Test
    void anIdempotencyKeyReusedForAnotherRequestIs409AndHoldsNothing() {
        long id = newEvent(Drafts.gala());
        String path = "/events/" + id + "/reservations";
        Response first = api.send("POST", path, bearer(BUYER), "{\"section\": \"B\", \"subsection\": 1, \"quantity\": 2}",
                "application/json", "Idempotency-Key", "k-9");
        assertEquals(201, first.status(), first.body());
        Response other = api.send("POST", path, bearer(BUYER), "{\"section\": \"B\", \"subsection\": 1, \"quantity\": 3}",
                "application/json", "Idempotency-Key", "k-9");
        assertError(other, 409, "conflict");
        assertTrue(other.json().at("/error/message").asText().contains("Idempotency-Key"), other.body());
        assertEquals(34, ticketing.statistics().current(id, null).remainingTickets());
    }

    @Test
    void eventDetailsCarryLiveStatisticsAndDraftsAreHiddenFromOthers() {
        long id = newEvent(Drafts.gala());
        ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("A", 1, 2), null, BUYER);
        JsonNode body = api.get("/events/" + id, null).json();
        assertEquals(34, body.at("/statistics/remainingTickets").asInt());
        assertEquals(2, body.at("/statistics/allocatedTickets").asInt());
        assertEquals(3, body.at("/statistics/sections").size());
        assertEquals("ticket.reserved", body.at("/statistics/lastEvent/type").asText());
        assertEquals("buyer:7", body.at("/statistics/lastEvent/actor").asText());

        long draft = newEvent(Drafts.draftStatus(Drafts.gala()));
        assertError(api.get("/events/" + draft, null), 404, "not_found");
        assertError(api.get("/events/" + draft, bearer(OTHER_SELLER)), 404, "not_found");
        assertError(api.get("/events/" + draft + "/stream", null), 404, "not_found");
        assertEquals(200, api.get("/events/" + draft, bearer(SELLER)).status());
    }

    @Test
    void listPagesWithCursorAndItemsCarryTotalsWithoutSections() {
        Ticketing own = Ticketing.builder().build();
        try (TicketingHttp ownHttp = settings(own).build(); TestServer ownServer = start(ownHttp)) {
            ApiClient ownApi = new ApiClient(ownServer);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(own.events().create(SELLER, Drafts.gala()).id());
            }
            own.events().create(SELLER, Drafts.draftStatus(Drafts.gala()));
            Response first = ownApi.get("/events?limit=2", null);
            assertEquals(200, first.status(), first.body());
            assertEquals(List.of(ids.get(4), ids.get(3)), idsOf(first.json()));
            JsonNode item = first.json().at("/items/0");
            assertEquals(36, item.at("/statistics/totalTickets").asInt());
            assertTrue(item.at("/statistics/sections").isMissingNode(), item.toString());
            String cursor = first.json().get("nextCursor").asText();
            JsonNode second = ownApi.get("/events?limit=2&cursor=" + cursor, null).json();
            assertEquals(List.of(ids.get(2), ids.get(1)), idsOf(second));
            JsonNode last = ownApi.get("/events?limit=2&cursor=" + second.get("nextCursor").asText(), null).json();
            assertEquals(List.of(ids.get(0)), idsOf(last));
            assertTrue(last.get("nextCursor").isNull());
            assertEquals(5, ownApi.get("/events", null).json().get("items").size());
            assertEquals(6, ownApi.get("/events?sellerId=3", bearer(SELLER)).json().get("items").size());
            assertEquals(5, ownApi.get("/events?sellerId=3", bearer(OTHER_SELLER)).json().get("items").size());
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            own.close();
        }
    }

    @Test
    void invalidLimitCursorOrSellerIdIs400() {
        for (String limit : new String[] {"0", "201", "-1", "abc", "1.5", ""}) {
            Response r = api.get("/events?limit=" + limit, null);
            assertInvalid(r, "limit");
        }
        assertEquals(200, api.get("/events?limit=200", null).status());
        Response cursor = api.get("/events?cursor=bogus", null);
        assertInvalid(cursor, "cursor");
        assertEquals("sellerId", api.get("/events?sellerId=x", null).json().at("/error/field").asText());
    }

    @Test
    void patchMovesStatusOnlyAlongAllowedMovesAndOnlyForItsSeller() {
        long id = newEvent(Drafts.draftStatus(Drafts.gala()));
        assertError(api.patch("/events/" + id, bearer(SELLER), "{\"status\": \"sold_out\"}"), 409, "conflict");
        Response published = api.patch("/events/" + id, bearer(SELLER), "{\"status\": \"available\"}");
        assertEquals(200, published.status(), published.body());
        assertEquals("available", published.json().get("status").asText());
        assertEquals("available", published.json().at("/statistics/status").asText());
        assertError(api.patch("/events/" + id, bearer(SELLER), "{\"status\": \"draft\"}"), 409, "conflict");
        Response bogus = api.patch("/events/" + id, bearer(SELLER), "{\"status\": \"bogus\"}");
        assertInvalid(bogus, "status");
        assertError(api.patch("/events/" + id, bearer(SELLER), "{}"), 400, "validation_failed");
        assertError(api.patch("/events/" + id, bearer(OTHER_SELLER), "{\"active\": false}"), 403, "forbidden");
        assertError(api.patch("/events/" + id, bearer(BUYER), "{\"active\": false}"), 403, "forbidden");
        assertError(api.patch("/events/" + id, null, "{\"active\": false}"), 401, "unauthorized");
        Response hidden = api.patch("/events/" + id, bearer(SELLER), "{\"active\": false}");
        assertFalse(hidden.json().get("active").asBoolean());
        assertError(api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}"), 409, "conflict");
    }

    @Test
    void salesRulesAreSetAtCreationChangedByPatchAndEnforcedWithLimitExceeded() {
        Response created = api.post("/events", bearer(SELLER), """
                {"name": "Capped", "rules": {"maxSeatsPerBuyer": 2},
                 "seatingConfig": {"rows": 2, "cols": 5, "sections": [{"name": "A", "price": 100, "subsections": 1}]}}
                """);
        assertEquals(201, created.status(), created.body());
        assertEquals(2, created.json().at("/rules/maxSeatsPerBuyer").asInt());
        long id = created.json().get("id").asLong();
        String pair = "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2}";
        assertEquals(201, api.post("/events/" + id + "/reservations", bearer(BUYER), pair).status());
        Response refused = api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}");
        assertError(refused, 409, "limit_exceeded");
        assertTrue(refused.json().at("/error/message").asText().contains("limit of 2"), refused.body());
        long version = api.get("/events/" + id, null).json().at("/statistics/version").asLong();

        Response raised = api.patch("/events/" + id, bearer(SELLER), "{\"rules\": {\"maxSeatsPerBuyer\": 4}}");
        assertEquals(200, raised.status(), raised.body());
        assertEquals(4, raised.json().at("/rules/maxSeatsPerBuyer").asInt());
        assertEquals(version, raised.json().at("/statistics/version").asLong(), "a rules change keeps the version");
        assertEquals(201, api.post("/events/" + id + "/reservations", bearer(BUYER), pair).status());

        Response removed = api.patch("/events/" + id, bearer(SELLER), "{\"rules\": {\"maxSeatsPerBuyer\": null}}");
        assertEquals(200, removed.status(), removed.body());
        assertTrue(removed.json().get("rules").has("maxSeatsPerBuyer"));
        assertTrue(removed.json().at("/rules/maxSeatsPerBuyer").isNull());
        assertEquals(201, api.post("/events/" + id + "/reservations", bearer(BUYER), pair).status());

        for (String bad : List.of("0", "1001", "\"3\"", "2.5")) {
            Response r = api.patch("/events/" + id, bearer(SELLER), "{\"rules\": {\"maxSeatsPerBuyer\": " + bad + "}}");
            assertError(r, 400, "validation_failed");
            assertEquals("rules.maxSeatsPerBuyer", r.json().at("/error/field").asText(), r.body());
        }
        assertError(api.patch("/events/" + id, bearer(BUYER), "{\"rules\": {}}"), 403, "forbidden");
        assertTrue(api.get("/events/" + id, null).json().at("/rules/maxSeatsPerBuyer").isNull());
        JsonNode uncapped = api.get("/events/" + newEvent(Drafts.gala()), null).json();
        assertTrue(uncapped.get("rules").has("maxSeatsPerBuyer") && uncapped.at("/rules/maxSeatsPerBuyer").isNull(),
                "no rules: null values");
    }

    @Test
    void seatsAreListedByRowThenSeatWithoutBuyers() {
        long id = newEvent(Drafts.gala());
        ticketing.reservations().reserve(id, ReservationRequest.seats(new io.ticketing.core.model.SeatRef("A", 2, 1, 2)), null, BUYER);
        Response r = api.get("/events/" + id + "/sections/A/subsections/2/seats", null);
        assertEquals(200, r.status(), r.body());
        JsonNode seats = r.json().get("seats");
        assertEquals(12, seats.size());
        assertEquals(1, seats.get(0).get("row").asInt());
        assertEquals(1, seats.get(0).get("seat").asInt());
        assertEquals("reserved", seats.get(1).get("status").asText());
        assertEquals(3, seats.get(11).get("row").asInt());
        assertFalse(r.body().contains("buyer"), r.body());
        assertError(api.get("/events/" + id + "/sections/Z/subsections/1/seats", null), 404, "not_found");
        assertError(api.get("/events/" + id + "/sections/A/subsections/3/seats", null), 404, "not_found");
    }

    // ---- reservations -------------------------------------------------------------------------------

    @Test
    void reservingATakenSeatIs409AndHoldsNothing() {
        long id = newEvent(Drafts.gala());
        String seats = "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 1, \"seat\": 1},"
                + " {\"section\": \"A\", \"subsection\": 1, \"row\": 1, \"seat\": 2}]}";
        Response held = api.post("/events/" + id + "/reservations", bearer(BUYER), seats);
        assertEquals(201, held.status(), held.body());
        JsonNode reservation = held.json();
        assertEquals(server.api().getPath() + "/reservations/" + reservation.get("id").asText(), held.header("Location"));
        assertEquals("held", reservation.get("status").asText());
        assertEquals(4000, reservation.get("totalPrice").asLong());
        assertEquals(7, reservation.get("buyerId").asLong());
        String overlapping = "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 1, \"seat\": 3},"
                + " {\"section\": \"A\", \"subsection\": 1, \"row\": 1, \"seat\": 2}]}";
        assertError(api.post("/events/" + id + "/reservations", bearer(OTHER_BUYER), overlapping), 409, "seats_unavailable");
        assertEquals(34, ticketing.statistics().current(id, null).remainingTickets());
    }

    @Test
    void idempotencyKeyReplaysTheOriginalReservationWith200() {
        long id = newEvent(Drafts.gala());
        String body = "{\"section\": \"B\", \"subsection\": 1, \"quantity\": 3}";
        Response first = api.send("POST", "/events/" + id + "/reservations", bearer(BUYER), body, "application/json",
                "Idempotency-Key", "k-1");
        Response replay = api.send("POST", "/events/" + id + "/reservations", bearer(BUYER), body, "application/json",
                "Idempotency-Key", "k-1");
        assertEquals(201, first.status(), first.body());
        assertEquals(200, replay.status(), replay.body());
        assertEquals(first.json().get("id"), replay.json().get("id"));
        assertEquals(33, ticketing.statistics().current(id, null).remainingTickets());
        Response tooLong = api.send("POST", "/events/" + id + "/reservations", bearer(BUYER), body, "application/json",
                "Idempotency-Key", "k".repeat(101));
        assertError(tooLong, 400, "validation_failed");
    }

    @Test
    void seatsTheEventDoesNotHaveAre400WithField() {
        long id = newEvent(Drafts.gala());
        Response seat = api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 9, \"seat\": 1}]}");
        assertInvalid(seat, "seats");
        Response section = api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"section\": \"Q\", \"subsection\": 1, \"quantity\": 1}");
        assertEquals("section", section.json().at("/error/field").asText());
        Response quantity = api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 51}");
        assertEquals("quantity", quantity.json().at("/error/field").asText());
        assertError(api.post("/events/" + id + "/reservations", bearer(SELLER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}"), 403, "forbidden");
    }

    @Test
    void reservationIsVisibleOnlyToItsBuyer() {
        long id = newEvent(Drafts.gala());
        String rid = api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}").json().get("id").asText();
        assertEquals(200, api.get("/reservations/" + rid, bearer(BUYER)).status());
        assertError(api.get("/reservations/" + rid, bearer(OTHER_BUYER)), 404, "not_found");
        assertError(api.get("/reservations/" + rid, null), 401, "unauthorized");
        assertError(api.post("/reservations/" + rid + "/confirm", bearer(OTHER_BUYER), null), 404, "not_found");
    }

    @Test
    void confirmTwiceIsIdempotentAndCancelOfAConfirmedOneRefunds() {
        long id = newEvent(Drafts.gala());
        String rid = api.post("/events/" + id + "/reservations", bearer(BUYER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2}").json().get("id").asText();
        Response confirmed = api.post("/reservations/" + rid + "/confirm", bearer(BUYER), "{\"paymentReference\": \"pay-1\"}");
        assertEquals(200, confirmed.status(), confirmed.body());
        assertEquals("confirmed", confirmed.json().get("status").asText());
        Response again = api.post("/reservations/" + rid + "/confirm", bearer(BUYER), null);
        assertEquals(200, again.status(), again.body());
        assertEquals(confirmed.json(), again.json());
        assertEquals(2, ticketing.statistics().current(id, null).confirmedTickets());
        assertError(api.post("/reservations/" + rid + "/confirm", bearer(BUYER), "{\"reference\": 1}"), 400, "validation_failed");
        Response cancelled = api.post("/reservations/" + rid + "/cancel", bearer(BUYER), null);
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals("cancelled", cancelled.json().get("status").asText());
        assertEquals(36, ticketing.statistics().current(id, null).remainingTickets());
        assertError(api.post("/reservations/" + rid + "/confirm", bearer(BUYER), null), 409, "conflict");
    }

    // ---- streams ------------------------------------------------------------------------------------

    @Test
    void streamStartsWithRetryThenInitialStatusAndHasSseHeaders() throws Exception {
        long id = newEvent(Drafts.gala());
        long version = ticketing.statistics().current(id, null).version();
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"))) {
            assertEquals(200, sse.status());
            String contentType = sse.headers().firstValue("Content-Type").orElseThrow().toLowerCase().replace(" ", "");
            assertEquals("text/event-stream;charset=utf-8", contentType);
            assertEquals("no-cache", sse.headers().firstValue("Cache-Control").orElseThrow());
            assertEquals("no", sse.headers().firstValue("X-Accel-Buffering").orElseThrow());
            assertTrue(sse.headers().firstValue("Content-Encoding").isEmpty());
            assertEquals("close", sse.headers().firstValue("Connection").orElseThrow(), "HTTP/1.1: ends with its connection");
            assertTrue(sse.headers().firstValue("Transfer-Encoding").isEmpty(), "HTTP/1.1: frames are not chunked");
            SseRecorder.Message retry = sse.next(WAIT);
            assertEquals(SseRecorder.Message.Kind.RETRY, retry.kind());
            assertEquals("3000", retry.data());
            JsonNode initial = SseRecorder.json(sse.assertEvent("initial_status", version));
            assertEquals(36, initial.get("remainingTickets").asInt());
            assertEquals(3, initial.get("sections").size());
        }
    }

    @Test
    void streamOfUnknownOrHiddenEventIs404Json() throws Exception {
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/987654/stream"))) {
            assertEquals(404, sse.status());
            assertEquals("not_found", sse.errorBody().at("/error/code").asText());
        }
    }

    @Test
    void streamWorksOverHttp2AndItsEndIsNoticed() throws Exception {
        long id = newEvent(Drafts.gala());
        long version = ticketing.statistics().current(id, null).version();
        try (SseRecorder sse = SseRecorder.open(HttpClient.Version.HTTP_2, server.uri("/events/" + id + "/stream"))) {
            assertEquals(HttpClient.Version.HTTP_2, sse.version());
            assertEquals(200, sse.status());
            assertTrue(sse.headers().firstValue("Connection").isEmpty(), "no connection header over HTTP/2");
            String contentType = sse.headers().firstValue("Content-Type").orElseThrow().toLowerCase().replace(" ", "");
            assertEquals("text/event-stream;charset=utf-8", contentType);
            assertEquals("3000", sse.next(WAIT).data());
            sse.assertEvent("initial_status", version);
            ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("B", 1, 2), null, BUYER);
            JsonNode update = SseRecorder.json(sse.assertEvent("status_update", version + 1));
            assertEquals(2, update.get("allocatedTickets").asInt());
            awaitStreams(id, 1);
        }
        awaitStreams(id, 0); // the client's reset of its HTTP/2 stream ends ours
    }

    @Test
    void updatesArriveInVersionOrderWithIdEqualToVersion() throws Exception {
        long id = newEvent(Drafts.gala());
        long version = ticketing.statistics().current(id, null).version();
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"))) {
            sse.assertEvent("initial_status", version);
            List<Long> published = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("B", 1, 1), null, BUYER);
                published.add(ticketing.statistics().current(id, null).version());
            }
            long last = version;
            while (last < published.get(published.size() - 1)) {
                SseRecorder.Message update = sse.nextEvent(WAIT);
                assertEquals("status_update", update.event());
                long v = SseRecorder.versionOf(update.id());
                assertTrue(v > last, "version " + v + " after " + last);
                JsonNode data = SseRecorder.json(update);
                assertEquals(v, data.get("version").asLong());
                assertEquals(data.get("totalTickets").asInt(), data.get("remainingTickets").asInt()
                        + data.get("allocatedTickets").asInt() + data.get("confirmedTickets").asInt());
                last = v;
            }
            assertEquals(31, ticketing.statistics().current(id, null).remainingTickets());
        }
    }

    @Test
    void lastEventIdOfTheCurrentVersionSkipsInitialStatus() throws Exception {
        long id = newEvent(Drafts.gala());
        long version = ticketing.statistics().current(id, null).version();
        try (SseRecorder resumed = SseRecorder.open(server.uri("/events/" + id + "/stream"), "Last-Event-ID", Long.toString(version))) {
            awaitStreams(id, 1);
            ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("B", 1, 1), null, BUYER);
            long next = ticketing.statistics().current(id, null).version();
            resumed.assertEvent("status_update", next);
        }
        try (SseRecorder stale = SseRecorder.open(server.uri("/events/" + id + "/stream"), "Last-Event-ID", "1")) {
            stale.assertEvent("initial_status", ticketing.statistics().current(id, null).version());
        }
    }

    @Test
    void idleStreamGetsHeartbeatComments() throws Exception {
        long id = newEvent(Drafts.gala());
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"))) {
            sse.assertEvent("initial_status", ticketing.statistics().current(id, null).version());
            sse.assertComment("heartbeat");
            sse.assertComment("heartbeat");
        }
    }

    @Test
    void slowClientGetsNewestSnapshotNotBacklog() throws Exception {
        // 10,000 subsections make each snapshot about a megabyte, so socket buffers fill after a few. The
        // event is soon busy, so updates go out 4 times a second: changes go on until one is conflated.
        List<Section> sections = IntStream.range(0, 100).mapToObj(i -> new Section("S" + i, 100, 100)).toList();
        long id = newEvent(new EventDraft("Big", null, null, EventStatus.AVAILABLE, new SeatingConfig(1, 1, sections)));
        long conflatedBefore = http.connectionStatistics().messagesConflated();
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"))) {
            sse.assertEvent("initial_status", ticketing.statistics().current(id, null).version());
            sse.pause();
            int updates = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            // reserve and cancel one seat, so the seats never run out
            while (http.connectionStatistics().messagesConflated() == conflatedBefore && System.nanoTime() < deadline) {
                String held = ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("S0", 1, 1), null,
                        BUYER).reservation().id();
                ticketing.reservations().cancel(held, BUYER);
                updates += 2;
                Thread.onSpinWait();
            }
            assertTrue(http.connectionStatistics().messagesConflated() > conflatedBefore, "no conflation after "
                    + updates + " updates");
            for (int i = 0; i < 5; i++, updates++) {
                ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("S" + (i + 1), 1, 1), null, BUYER);
            }
            long finalVersion = ticketing.statistics().current(id, null).version();
            sse.resume();
            long last = 0;
            int received = 0;
            SseRecorder.Message update = null;
            while (last < finalVersion) {
                update = sse.nextEvent(WAIT);
                long v = SseRecorder.versionOf(update.id());
                assertTrue(v > last, "received version " + v + " after " + last);
                last = v;
                received++;
            }
            assertEquals(finalVersion, last);
            assertTrue(received < updates, "received " + received + " of " + updates + " snapshots: no conflation");
            assertEquals(10_000 - 5, SseRecorder.json(update).get("remainingTickets").asInt());
            assertEquals(finalVersion, SseRecorder.json(update).get("version").asLong());
        }
    }

    // ---- live seat maps -----------------------------------------------------------------------------

    @Test
    void badSeatsParameterIs400WithFieldSeatsBeforeAnyStreamOpens() throws Exception {
        long id = newEvent(Drafts.gala());
        String tooMany = String.join(",", java.util.Collections.nCopies(21, "A:1"));
        List<String> queries = new ArrayList<>(List.of("seats=A:1&seats=B:1"));
        for (String seats : List.of("", "A", "A:", ":1", "A:x", "A:-1", "A:0", "A:3", "Z:1", "A:1,A:1", "A:1,,B:1",
                "A:1,", "A:99999999999", tooMany)) {
            queries.add("seats=" + java.net.URLEncoder.encode(seats, java.nio.charset.StandardCharsets.UTF_8));
        }
        for (String seats : queries) {
            URI uri = server.uri("/events/" + id + "/stream?" + seats);
            try (SseRecorder sse = SseRecorder.open(uri)) {
                assertEquals(400, sse.status(), "seats=" + seats);
                JsonNode error = sse.errorBody().get("error");
                assertEquals("validation_failed", error.get("code").asText(), "seats=" + seats);
                assertEquals("seats", error.get("field").asText(), "seats=" + seats);
            }
        }
        assertEquals(0, http.connectionStatistics().events().getOrDefault(id, 0));
    }

    @Test
    void seatMapFollowsInitialStatusAndSeatChangesFollowTheStatusUpdateOfTheirChange() throws Exception {
        long id = newEvent(Drafts.gala());
        String held = ticketing.reservations().reserve(id, ReservationRequest.seats(
                new io.ticketing.core.model.SeatRef("A", 2, 1, 2)), null, BUYER).reservation().id();
        long version = ticketing.statistics().current(id, null).version();
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:2,B:1"))) {
            assertEquals("3000", sse.next(WAIT).data());
            SseRecorder.Message initial = sse.nextEvent(WAIT);
            assertEquals("initial_status", initial.event());
            assertFalse(initial.idLine(), "only the last frame of a version carries its id");
            JsonNode a2 = SseRecorder.json(sse.nextEvent(WAIT));
            assertEquals(version, a2.get("version").asLong());
            assertEquals("A", a2.get("section").asText());
            assertEquals(2, a2.get("subsection").asInt());
            assertEquals(3, a2.get("rows").asInt());
            assertEquals(4, a2.get("cols").asInt());
            assertEquals("araaaaaaaaaa", a2.get("seats").asText());
            SseRecorder.Message b1 = sse.nextEvent(WAIT);
            assertEquals("seat_map", b1.event());
            assertEquals(version, SseRecorder.versionOf(b1.id()));
            assertEquals("aaaaaaaaaaaa", SseRecorder.json(b1).get("seats").asText());

            ticketing.reservations().confirm(held, "pay-1", BUYER);
            SseRecorder.Message update = sse.nextEvent(WAIT);
            assertEquals("status_update", update.event());
            assertFalse(update.idLine());
            SseRecorder.Message changes = sse.assertEvent("seat_changes", version + 1);
            assertEquals("{\"eventId\":" + id + ",\"version\":" + (version + 1) + ",\"changes\":[{\"section\":\"A\","
                    + "\"subsection\":2,\"row\":1,\"seat\":2,\"status\":\"sold\"}]}", changes.data());

            // a change of a subsection the stream does not name: its status_update alone, with the id
            ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("A", 1, 2), null, BUYER);
            sse.assertEvent("status_update", version + 2);
            ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("B", 1, 1), null, BUYER);
            assertFalse(sse.nextEvent(WAIT).idLine());
            JsonNode b = SseRecorder.json(sse.assertEvent("seat_changes", version + 3));
            assertEquals("reserved", b.at("/changes/0/status").asText());
            assertEquals("B", b.at("/changes/0/section").asText());
        }
    }

    @Test
    void seatMapStreamEndsEqualToTheSeatsEndpointUnder200ConcurrentReservationsAndAStalledReader() throws Exception {
        assertSeatMapStreamsEndOnTheSeatsEndpointUnderChurn(newEvent(Drafts.available("Hot", 25, 20, "A", "B")), WAIT);
    }

    @Test
    void seatMapStreamsThatJoinDuringChurnAndAfterItEndEqualToTheSeatsEndpoint() throws Exception {
        long id = newEvent(Drafts.available("Joiners", 25, 20, "A", "B"));
        ExecutorService churn = Executors.newSingleThreadExecutor();
        List<SseRecorder> streams = new ArrayList<>();
        try {
            // the node mirrors A:1 from the first stream on: later ones may start from its copy or from a read
            streams.add(SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1")));
            Future<?> traffic = churn.submit(() -> {
                SeatChurn.run(ticketing, id, 400);
                return null;
            });
            while (!traffic.isDone() && streams.size() < 8) {
                streams.add(SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1")));
            }
            traffic.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            streams.add(SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"))); // a quiet event now
            long last = version(id);
            String endpoint = SeatMapView.codes(api.get("/events/" + id + "/sections/A/subsections/1/seats", null)
                    .json());
            for (SseRecorder sse : streams) {
                SeatMapView view = new SeatMapView(sse);
                view.readUntil(last, WAIT);
                assertEquals(endpoint, view.seats("A:1"), "stream " + streams.indexOf(sse) + " of " + streams.size());
            }
        } finally {
            churn.shutdownNow();
            for (SseRecorder sse : streams) {
                sse.close();
            }
        }
    }

    @Test
    void streamStatsCountStreamsPerEventAndVanishedClientsAreRemoved() throws Exception {
        long id = newEvent(Drafts.gala());
        try (SseRecorder a = SseRecorder.open(server.uri("/events/" + id + "/stream"));
             SseRecorder b = SseRecorder.open(server.uri("/events/" + id + "/stream"))) {
            a.assertEvent("initial_status", ticketing.statistics().current(id, null).version());
            b.assertEvent("initial_status", ticketing.statistics().current(id, null).version());
            RawHttpConnection vanishing = RawHttpConnection.get(server.uri("/events/" + id + "/stream"), 64 * 1024);
            assertTrue(vanishing.head().startsWith("HTTP/1.1 200"), vanishing.head());
            awaitStreams(id, 3);
            JsonNode stats = api.get("/stream/stats", null).json();
            assertEquals(3, stats.at("/events/" + id).asInt(), stats.toString());
            assertTrue(stats.get("connections").asInt() >= 3);
            assertTrue(stats.get("messagesSent").asLong() >= 2);
            assertTrue(stats.has("messagesConflated"));
            assertTrue(stats.has("slowClientsDropped"));
            vanishing.vanish(); // detected by the next heartbeat write
            awaitStreams(id, 2);
        }
        await("no stream of event " + id + " left", () -> http.connectionStatistics().events().get(id) == null);
    }

    @Test
    void aClientThatVanishesGivesBackItsConnectionNotOnlyItsStream() throws Exception {
        Ticketing own = Ticketing.builder().build();
        try (TicketingHttp ownHttp = settings(own).build(); TestServer ownServer = start(ownHttp)) {
            long id = own.events().create(SELLER, Drafts.gala()).id();
            RawHttpConnection vanishing = RawHttpConnection.get(ownServer.uri("/events/" + id + "/stream"), 64 * 1024);
            assertTrue(vanishing.head().startsWith("HTTP/1.1 200"), vanishing.head());
            await("stream open", () -> ownHttp.connectionStatistics().connections() == 1);
            int withStream = ownServer.openConnections();
            vanishing.vanish(); // found by the next heartbeat write, which fails
            await("stream forgotten", () -> ownHttp.connectionStatistics().connections() == 0);
            // not only at the container's idle timeout (30 s on Jetty): the request is completed at once
            await("connection closed", () -> ownServer.openConnections() == withStream - 1);
        } finally {
            own.close();
        }
    }

    @Test
    void clientThatStopsReadingIsDroppedAndTheCountReturns() throws Exception {
        Ticketing own = Ticketing.builder().build();
        // every change is sent (no busy-event pacing), so that the stalled client's buffers fill fast
        try (TicketingHttp ownHttp = settings(own).slowClientTimeout(Duration.ofMillis(300))
                .busyEventUpdateInterval(Duration.ZERO).build();
             TestServer ownServer = start(ownHttp)) {
            List<Section> sections = IntStream.range(0, 100).mapToObj(i -> new Section("S" + i, 100, 100)).toList();
            long id = own.events().create(SELLER, new EventDraft("Big", null, null, EventStatus.AVAILABLE,
                    new SeatingConfig(1, 1, sections))).id();
            try (RawHttpConnection stalled = RawHttpConnection.get(ownServer.uri("/events/" + id + "/stream"), 4096)) {
                assertTrue(stalled.head().startsWith("HTTP/1.1 200"), stalled.head());
                await("stream open", () -> ownHttp.connectionStatistics().connections() == 1);
                int withStream = ownServer.openConnections();
                long deadline = System.nanoTime() + WAIT.toNanos();
                // changes until the stream is dropped: reserve and cancel one seat, so the seats never run out
                while (ownHttp.connectionStatistics().connections() > 0 && System.nanoTime() < deadline) {
                    String reservation = own.reservations().reserve(id, ReservationRequest.bestAvailable("S1", 1, 1),
                            null, BUYER).reservation().id();
                    own.reservations().cancel(reservation, BUYER);
                    Thread.onSpinWait();
                }
                await("stalled stream dropped", () -> ownHttp.connectionStatistics().connections() == 0);
                assertEquals(1, ownHttp.connectionStatistics().slowClientsDropped());
                assertTrue(ownHttp.connectionStatistics().events().isEmpty());
                if (ownServer instanceof JettyTestServer) {
                    // dropped with a direct write in flight: the connection ends too, not at the idle timeout
                    // (Tomcat keeps the stalled connection until its own timeout)
                    await("connection closed", () -> ownServer.openConnections() == withStream - 1);
                }
            }
        } finally {
            own.close();
        }
    }

    @Test
    void streamsOverTheNodeCapAre429WithRetryAfter() throws Exception {
        Ticketing own = Ticketing.builder().build();
        try (TicketingHttp ownHttp = settings(own).maxStreams(2).maxStreamsPerAddress(2).build();
             TestServer ownServer = start(ownHttp)) {
            long id = own.events().create(SELLER, Drafts.gala()).id();
            try (SseRecorder a = SseRecorder.open(ownServer.uri("/events/" + id + "/stream"));
                 SseRecorder b = SseRecorder.open(ownServer.uri("/events/" + id + "/stream"));
                 SseRecorder c = SseRecorder.open(ownServer.uri("/events/" + id + "/stream"))) {
                assertEquals(200, a.status());
                assertEquals(200, b.status());
                assertEquals(429, c.status());
                assertEquals("5", c.headers().firstValue("Retry-After").orElseThrow());
                assertEquals("too_many_connections", c.errorBody().at("/error/code").asText());
            }
            await("slots released", () -> ownHttp.connectionStatistics().connections() == 0);
            try (SseRecorder again = SseRecorder.open(ownServer.uri("/events/" + id + "/stream"))) {
                assertEquals(200, again.status());
            }
        } finally {
            own.close();
        }
    }

    @Test
    void streamsOverThePerAddressCapAre429() throws Exception {
        Ticketing own = Ticketing.builder().build();
        try (TicketingHttp ownHttp = settings(own).maxStreams(10).maxStreamsPerAddress(1).build();
             TestServer ownServer = start(ownHttp)) {
            long id = own.events().create(SELLER, Drafts.gala()).id();
            try (SseRecorder a = SseRecorder.open(ownServer.uri("/events/" + id + "/stream"));
                 SseRecorder b = SseRecorder.open(ownServer.uri("/events/" + id + "/stream"))) {
                assertEquals(200, a.status());
                assertEquals(429, b.status());
                assertNotNull(b.headers().firstValue("Retry-After").orElse(null));
            }
        } finally {
            own.close();
        }
    }

    @Test
    void aFullInMemoryStoreAnswers503NotA500AndChangesNothing() throws Exception {
        Ticketing own = Ticketing.builder().store(InMemoryTicketStore.builder().maxEvents(1).build()).build();
        try (TicketingHttp ownHttp = settings(own).build(); TestServer ownServer = start(ownHttp)) {
            ApiClient ownApi = new ApiClient(ownServer);
            assertEquals(201, ownApi.post("/events", bearer(SELLER), GALA).status());
            Response full = ownApi.post("/events", bearer(SELLER), GALA);
            assertError(full, 503, "unavailable");
            assertTrue(full.json().at("/error/message").asText().contains("maximum of 1 events"), full.body());
            assertEquals("5", full.header("Retry-After"));
            assertEquals(1, ownApi.get("/events", null).json().at("/items").size());
        } finally {
            own.close();
        }
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnoredByThePerAddressCap() throws Exception {
        // 127.0.0.1 is no trusted proxy here: its headers are forged, and every stream counts as 127.0.0.1
        assertEquals(List.of(200, 429, 429), streamStatuses(List.of("10.0.0.0/8", "2001:db8::/32"),
                List.of("X-Forwarded-For", "203.0.113.1"), List.of("X-Forwarded-For", "203.0.113.2"),
                List.of("Forwarded", "for=203.0.113.3")));
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnCap() throws Exception {
        // a, another client b, a again, and b again behind a hop that b forged: the right-most untrusted hop counts
        assertEquals(List.of(200, 200, 429, 429), streamStatuses(List.of("127.0.0.0/8", "::1"),
                List.of("X-Forwarded-For", "203.0.113.1"), List.of("Forwarded", "for=\"203.0.113.2:5000\""),
                List.of("Forwarded", "for=203.0.113.1"), List.of("X-Forwarded-For", "198.51.100.9, 203.0.113.2")));
    }

    /**
     * The statuses of streams opened one after another, each with its header (name, value) and all kept open,
     * on a server of its own with {@code trustedProxies} and one stream per client address.
     */
    @SafeVarargs
    private List<Integer> streamStatuses(List<String> trustedProxies, List<String>... headers) throws Exception {
        Ticketing own = Ticketing.builder().build();
        List<SseRecorder> streams = new ArrayList<>();
        try (TicketingHttp ownHttp = settings(own).maxStreams(10).maxStreamsPerAddress(1)
                .trustedProxies(trustedProxies).build();
             TestServer ownServer = start(ownHttp)) {
            URI stream = ownServer.uri("/events/" + own.events().create(SELLER, Drafts.gala()).id() + "/stream");
            for (List<String> header : headers) {
                streams.add(SseRecorder.open(stream, header.get(0), header.get(1)));
            }
            return streams.stream().map(SseRecorder::status).toList();
        } finally {
            for (SseRecorder sse : streams) {
                sse.close();
            }
            own.close();
        }
    }

    @Test
    void shutdownEndsEveryStreamCleanlyAndRefusesNewOnes() throws Exception {
        Ticketing own = Ticketing.builder().build();
        try (TicketingHttp ownHttp = settings(own).build(); TestServer ownServer = start(ownHttp)) {
            long id = own.events().create(SELLER, Drafts.gala()).id();
            long version = own.statistics().current(id, null).version();
            List<SseRecorder> streams = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    SseRecorder sse = SseRecorder.open(ownServer.uri("/events/" + id + "/stream"));
                    streams.add(sse);
                    sse.assertEvent("initial_status", version);
                }
                ownHttp.shutdown();
                for (SseRecorder sse : streams) {
                    sse.assertEnd();
                }
                assertEquals(0, ownHttp.connectionStatistics().connections());
                try (SseRecorder late = SseRecorder.open(ownServer.uri("/events/" + id + "/stream"))) {
                    assertEquals(503, late.status());
                    assertNotNull(late.headers().firstValue("Retry-After").orElse(null));
                }
                assertEquals(200, new ApiClient(ownServer).get("/events/" + id, null).status());
            } finally {
                for (SseRecorder sse : streams) {
                    sse.close();
                }
            }
        } finally {
            own.close();
        }
    }

    @Test
    void stoppingTheContainerEndsStreamsCleanly() throws Exception {
        Ticketing own = Ticketing.builder().build();
        TicketingHttp ownHttp = settings(own).build();
        TestServer ownServer = start(ownHttp);
        try {
            long id = own.events().create(SELLER, Drafts.gala()).id();
            try (SseRecorder sse = SseRecorder.open(ownServer.uri("/events/" + id + "/stream"))) {
                sse.assertEvent("initial_status", own.statistics().current(id, null).version());
                ownServer.close();
                sse.assertEnd();
                assertEquals(0, ownHttp.connectionStatistics().connections());
            }
        } finally {
            ownHttp.shutdown();
            own.close();
        }
    }

    // ---- Java clients (OkHttp's SSE client) ---------------------------------------------------------

    @Test
    void anOkHttpClientWithAReadTimeoutLongerThanTheHeartbeatKeepsAQuietStream() throws Exception {
        long id = newEvent(Drafts.gala());
        long version = ticketing.statistics().current(id, null).version();
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(1)).build(); // heartbeat: 300 ms
        try (OkHttpSseRecorder sse = OkHttpSseRecorder.open(client, new Request.Builder()
                .url(server.uri("/events/" + id + "/stream").toString()).build())) {
            assertEquals("open", sse.next(WAIT).type());
            OkHttpSseRecorder.Callback initial = sse.next(WAIT);
            assertEquals("initial_status", initial.type());
            assertEquals(version, SseRecorder.versionOf(initial.id()));
            Awaitility.await("no failure over three read timeouts of quiet")
                    .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(sse::isQuiet);
            ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("B", 1, 1), null, BUYER);
            OkHttpSseRecorder.Callback update = sse.next(WAIT);
            assertEquals("status_update", update.type(), String.valueOf(update.failure()));
            assertEquals(version + 1, SseRecorder.versionOf(update.id()));
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Test
    void anOkHttpClientResumesWithLastEventId() throws Exception {
        long id = newEvent(Drafts.gala());
        OkHttpClient client = new OkHttpClient();
        try {
            String lastId;
            try (OkHttpSseRecorder sse = OkHttpSseRecorder.open(client, streamRequest(id, null))) {
                assertEquals("open", sse.next(WAIT).type());
                lastId = sse.next(WAIT).id();
            }
            // missed while away: the resumed stream starts with the newest statistics
            ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("B", 1, 1), null, BUYER);
            long missed = ticketing.statistics().current(id, null).version();
            try (OkHttpSseRecorder sse = OkHttpSseRecorder.open(client, streamRequest(id, lastId))) {
                assertEquals("open", sse.next(WAIT).type());
                OkHttpSseRecorder.Callback first = sse.next(WAIT);
                assertEquals("initial_status", first.type());
                assertEquals(missed, SseRecorder.versionOf(first.id()));
                lastId = first.id();
            }
            // nothing missed: no initial_status, the next change comes as a status_update
            try (OkHttpSseRecorder sse = OkHttpSseRecorder.open(client, streamRequest(id, lastId))) {
                assertEquals("open", sse.next(WAIT).type());
                awaitStreams(id, 1);
                ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("B", 1, 1), null, BUYER);
                OkHttpSseRecorder.Callback next = sse.next(WAIT);
                assertEquals("status_update", next.type());
                assertEquals(missed + 1, SseRecorder.versionOf(next.id()));
            }
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** The request a resuming Java client sends: the last {@code id:} it received as {@code Last-Event-ID}. */
    private Request streamRequest(long eventId, String lastEventId) {
        Request.Builder request = new Request.Builder().url(server.uri("/events/" + eventId + "/stream").toString());
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request.build();
    }

    // ---- CORS ---------------------------------------------------------------------------------------

    @Test
    void anAllowedOriginGetsCorsHeadersOnAnswersErrorsAndStreams() throws Exception {
        long id = newEvent(Drafts.gala());
        for (Response r : List.of(api.send("GET", "/events/" + id, null, null, null, "Origin", ALLOWED_ORIGIN),
                api.send("GET", "/events/987654", null, null, null, "Origin", ALLOWED_ORIGIN),
                api.send("POST", "/events", null, GALA, "application/json", "Origin", ALLOWED_ORIGIN))) {
            assertEquals(ALLOWED_ORIGIN, r.header("Access-Control-Allow-Origin"), r.body());
            assertEquals("Location, Retry-After", r.header("Access-Control-Expose-Headers"));
            assertTrue(r.headers().allValues("Vary").contains("Origin"), r.headers().toString());
            assertNull(r.header("Access-Control-Allow-Credentials"));
        }
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"), "Origin", ALLOWED_ORIGIN)) {
            assertEquals(200, sse.status());
            assertEquals(ALLOWED_ORIGIN, sse.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            sse.assertEvent("initial_status", ticketing.statistics().current(id, null).version());
        }
    }

    @Test
    void anotherOriginGetsNoCorsHeaders() throws Exception {
        long id = newEvent(Drafts.gala());
        Response r = api.send("GET", "/events/" + id, null, null, null, "Origin", "https://elsewhere.example");
        assertEquals(200, r.status());
        assertNull(r.header("Access-Control-Allow-Origin"));
        assertTrue(r.headers().allValues("Vary").contains("Origin"), r.headers().toString());
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"), "Origin", "https://elsewhere.example")) {
            assertEquals(200, sse.status());
            assertTrue(sse.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
    }

    @Test
    void aPreflightFromAnAllowedOriginIs204WithMethodsHeadersAndMaxAge() {
        long id = newEvent(Drafts.gala());
        for (String path : List.of("/events/" + id + "/reservations", "/events", "/events/" + id + "/stream")) {
            Response r = api.send("OPTIONS", path, null, null, null, "Origin", ALLOWED_ORIGIN,
                    "Access-Control-Request-Method", "POST",
                    "Access-Control-Request-Headers", "authorization, content-type, idempotency-key");
            assertEquals(204, r.status(), path + ": " + r.body());
            assertEquals(ALLOWED_ORIGIN, r.header("Access-Control-Allow-Origin"));
            assertEquals("GET, POST, PATCH", r.header("Access-Control-Allow-Methods"));
            assertEquals("Authorization, Content-Type, Idempotency-Key, Last-Event-ID", r.header("Access-Control-Allow-Headers"));
            assertEquals("3600", r.header("Access-Control-Max-Age"));
            assertTrue(r.headers().allValues("Vary").contains("Origin"));
        }
        Response other = api.send("OPTIONS", "/events", null, null, null, "Origin", "https://elsewhere.example",
                "Access-Control-Request-Method", "POST");
        assertError(other, 405, "method_not_allowed");
        assertNull(other.header("Access-Control-Allow-Origin"));
    }

    @Test
    void corsIsOffByDefault() throws Exception {
        Ticketing own = Ticketing.builder().build();
        try (TicketingHttp ownHttp = TicketingHttp.builder(own).build(); TestServer ownServer = start(ownHttp)) {
            ApiClient ownApi = new ApiClient(ownServer);
            Response r = ownApi.send("GET", "/events", null, null, null, "Origin", ALLOWED_ORIGIN);
            assertEquals(200, r.status());
            assertNull(r.header("Access-Control-Allow-Origin"));
            assertTrue(r.headers().allValues("Vary").isEmpty(), r.headers().toString());
            Response preflight = ownApi.send("OPTIONS", "/events", null, null, null, "Origin", ALLOWED_ORIGIN,
                    "Access-Control-Request-Method", "POST");
            assertError(preflight, 405, "method_not_allowed");
        } finally {
            own.close();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static void await(String condition, BooleanSupplier check) {
        Await.until(check, WAIT, condition);
    }

    private static List<Long> idsOf(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }

    /** A {@code 400 validation_failed} naming {@code field}. */
    private static void assertInvalid(Response r, String field) {
        assertError(r, 400, "validation_failed");
        assertEquals(field, r.json().at("/error/field").asText(), r.body());
    }

    /** A raw response whose status is in {@code min..max}, with the JSON error body of that status. */
    private static void assertJsonError(String response, int min, int max, String request) throws Exception {
        int status = Integer.parseInt(response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        assertTrue(status >= min && status <= max, request + " -> " + response);
        int bodyAt = response.indexOf("\r\n\r\n") + 4;
        assertTrue(response.substring(0, bodyAt).toLowerCase(Locale.ROOT).contains("content-type: application/json"),
                request + " -> " + response);
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.substring(bodyAt)).get("error");
        assertNotNull(error, request + " -> " + response);
        assertEquals(status, error.get("status").asInt(), request + " -> " + response);
        assertFalse(error.get("code").asText().isEmpty(), request + " -> " + response);
    }

    private static void assertError(Response r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        JsonNode error = r.json().get("error");
        assertNotNull(error, r.body());
        assertEquals(status, error.get("status").asInt(), r.body());
        assertEquals(code, error.get("code").asText(), r.body());
        assertNotEquals("", error.get("message").asText(), r.body());
    }
}
