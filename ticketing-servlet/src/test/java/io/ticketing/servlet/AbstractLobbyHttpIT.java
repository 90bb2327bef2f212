package io.ticketing.servlet;

import static io.ticketing.servlet.testing.TestPrincipals.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.model.User;
import io.ticketing.servlet.testing.ApiClient.Response;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestPrincipals;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /stream?all=true}, the lobby stream, over real HTTP, once per servlet container. */
abstract class AbstractLobbyHttpIT extends AbstractHttpIT {
    private static final User BUYER = User.buyer(7);

    @Override
    TicketingHttp.Builder settings(Ticketing ticketing) {
        return TicketingHttp.builder(ticketing).principalResolver(TestPrincipals.resolver())
                .heartbeatInterval(Duration.ofMillis(300)).maxStreamsPerAddress(3);
    }

    /** The streams of the previous test are gone: each test may open as many as the cap per address allows. */
    @BeforeEach
    void noStreamsOpen() {
        Awaitility.await("the streams of other tests are gone").atMost(WAIT)
                .until(() -> api.get("/stream/stats", null).json().get("connections").asInt() == 0);
    }

    private long create(String status, int rows, int cols) {
        Response r = api.post("/events", bearer(SELLER), """
                {"name": "Lobby", "status": "%s",
                 "seatingConfig": {"rows": %d, "cols": %d, "sections": [{"name": "A", "price": 100, "subsections": 1}]}}
                """.formatted(status, rows, cols));
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asLong();
    }

    private String reserve(long eventId, int quantity) {
        Response r = api.post("/events/" + eventId + "/reservations", bearer(BUYER),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": " + quantity + "}");
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    private void patch(long eventId, String json) {
        Response r = api.patch("/events/" + eventId, bearer(SELLER), json);
        assertEquals(200, r.status(), r.body());
    }

    /** Every event {@code GET /events} lists now, through all its pages. */
    private Set<Long> listed() {
        Set<Long> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/events?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), null).json();
            page.get("items").forEach(e -> ids.add(e.get("id").asLong()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    /** Opens a lobby stream and reads its initial set, which must be exactly what {@code GET /events} lists. */
    private SseRecorder lobby() throws Exception {
        Set<Long> expected = listed();
        SseRecorder sse = SseRecorder.open(server.uri("/stream?all=true"));
        assertEquals(200, sse.status());
        assertTrue(sse.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        Set<Long> initial = new HashSet<>();
        for (int i = 0; i < expected.size(); i++) {
            SseRecorder.Message m = sse.nextEvent(WAIT);
            assertEquals("initial_status", m.event(), m.toString());
            JsonNode data = SseRecorder.json(m);
            assertFalse(data.has("sections"), "totals only: " + data);
            assertEquals(data.get("totalTickets").asInt(), data.get("remainingTickets").asInt()
                    + data.get("allocatedTickets").asInt() + data.get("confirmedTickets").asInt());
            initial.add(data.get("eventId").asLong());
        }
        assertEquals(expected, initial);
        return sse;
    }

    /** Skips frames until one of {@code type} about {@code eventId} whose data {@code matches}. */
    private static JsonNode await(SseRecorder sse, String type, long eventId, Predicate<JsonNode> matches)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SseRecorder.Message m = sse.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            JsonNode data = SseRecorder.json(m);
            if (type.equals(m.event()) && data.get("eventId").asLong() == eventId && matches.test(data)) {
                return data;
            }
        }
    }

    private static JsonNode await(SseRecorder sse, String type, long eventId) throws Exception {
        return await(sse, type, eventId, data -> true);
    }

    @Test
    void aLobbyStartsWithTheTotalsOfExactlyTheEventsGetEventsLists() throws Exception {
        long open = create("available", 2, 5);
        long draft = create("draft", 2, 5);
        long unpublished = create("available", 2, 5);
        patch(unpublished, "{\"active\": false}");
        long soldOut = create("available", 1, 1);
        reserve(soldOut, 1);
        Set<Long> listed = listed();
        assertTrue(listed.contains(open));
        assertFalse(listed.contains(draft) || listed.contains(unpublished) || listed.contains(soldOut), "" + listed);
        try (SseRecorder sse = lobby()) {
            // lobby() compared the initial set with GET /events
            assertEquals(200, sse.status());
        }
    }

    @Test
    void changesJoinsAndLeavesReachTheLobby() throws Exception {
        long watched = create("available", 2, 5);
        try (SseRecorder sse = lobby()) {
            reserve(watched, 2);
            JsonNode update = await(sse, "status_update", watched, d -> d.get("allocatedTickets").asInt() == 2);
            assertFalse(update.has("sections"), update.toString());

            long created = create("available", 2, 5);
            await(sse, "initial_status", created);

            long draft = create("draft", 2, 5);
            patch(draft, "{\"status\": \"available\"}");
            await(sse, "initial_status", draft);

            long tiny = create("available", 1, 2);
            await(sse, "initial_status", tiny);
            String held = reserve(tiny, 2);
            await(sse, "removed", tiny);
            assertEquals(200, api.post("/reservations/" + held + "/cancel", bearer(BUYER), null).status());
            JsonNode back = await(sse, "initial_status", tiny);
            assertEquals(2, back.get("remainingTickets").asInt());

            patch(watched, "{\"active\": false}");
            await(sse, "removed", watched);
            patch(watched, "{\"active\": true}");
            await(sse, "initial_status", watched, d -> d.get("allocatedTickets").asInt() == 2);

            patch(created, "{\"status\": \"ended\"}");
            await(sse, "removed", created);
        }
    }

    @Test
    void aNewLobbyStreamStartsWithTheCurrentSetWhateverItsLastEventId() throws Exception {
        long event = create("available", 2, 5);
        reserve(event, 1);
        Set<Long> expected = listed();
        try (SseRecorder sse = SseRecorder.open(server.uri("/stream?all=true"), "Last-Event-ID", "12345")) {
            assertEquals(200, sse.status());
            Set<Long> initial = new HashSet<>();
            for (int i = 0; i < expected.size(); i++) {
                SseRecorder.Message m = sse.nextEvent(WAIT);
                assertEquals("initial_status", m.event(), m.toString());
                initial.add(SseRecorder.json(m).get("eventId").asLong());
            }
            assertEquals(expected, initial);
        }
    }

    @Test
    void allOtherThanTrueOrCombinedWithEventsOrSeatsIs400() throws Exception {
        for (String query : new String[] {"all=false", "all=", "all=TRUE", "all=true&events=1", "all=true&seats=A:1",
                "all=true&all=true"}) {
            try (SseRecorder sse = SseRecorder.open(server.uri("/stream?" + query))) {
                assertEquals(400, sse.status(), query);
                JsonNode error = sse.errorBody().get("error");
                assertEquals("validation_failed", error.get("code").asText(), query);
                assertEquals("all", error.get("field").asText(), query);
            }
        }
        assertEquals(405, api.send("POST", "/stream?all=true", null, null, null).status());
    }

    @Test
    void lobbyStreamsCountAgainstTheStreamsOfAnAddress() throws Exception {
        long event = create("available", 2, 5);
        try (SseRecorder first = SseRecorder.open(server.uri("/stream?all=true"));
             SseRecorder second = SseRecorder.open(server.uri("/stream?all=true"));
             SseRecorder third = SseRecorder.open(server.uri("/events/" + event + "/stream"));
             SseRecorder fourth = SseRecorder.open(server.uri("/stream?all=true"))) {
            assertEquals(200, first.status());
            assertEquals(200, second.status());
            assertEquals(200, third.status());
            assertEquals(429, fourth.status());
            assertEquals("too_many_connections", fourth.errorBody().at("/error/code").asText());
        }
    }
}
