package io.ticketing.servlet;

import static io.ticketing.servlet.testing.TestPrincipals.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Drafts;
import io.ticketing.servlet.testing.ApiClient.Response;
import io.ticketing.servlet.testing.SseRecorder;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /events/{id}/changes} and resuming a stream with {@code Last-Event-ID}, as api.md's "Change
 * history and resuming a stream" states them, on a container that a subclass starts. The store keeps the last
 * {@value #KEPT} changes of each event, so that a test can outlive them.
 */
abstract class AbstractChangeHistoryHttpIT extends AbstractHttpIT {
    private static final int KEPT = 1_200;
    private static final User OTHER_SELLER = User.seller(4);
    private static final User BUYER = User.buyer(7);

    @Override
    Ticketing newTicketing() {
        return Ticketing.builder().store(InMemoryTicketStore.builder().changeLogSize(KEPT).build()).build();
    }

    private long newEvent() {
        return newEvent(Drafts.gala());
    }

    private String reserve(long eventId, int row, int seat) {
        return ticketing.reservations().reserve(eventId, ReservationRequest.seats(new SeatRef("A", 1, row, seat)),
                null, BUYER).reservation().id();
    }

    /** {@code pairs} holds and cancels of seat A:1 row 1 seat 1: two changes each. */
    private void churn(long eventId, int pairs) {
        for (int i = 0; i < pairs; i++) {
            ticketing.reservations().cancel(reserve(eventId, 1, 1), BUYER);
        }
    }

    private URI stream(long eventId) {
        return server.uri("/events/" + eventId + "/stream?seats=A:1");
    }

    /** The id a stream of the event names its current version with (read from a fresh stream). */
    private String currentId(long eventId) throws Exception {
        try (SseRecorder sse = SseRecorder.open(stream(eventId))) {
            assertEquals("initial_status", sse.nextEvent(WAIT).event());
            SseRecorder.Message map = sse.nextEvent(WAIT);
            assertEquals("seat_map", map.event());
            assertEquals(version(eventId), SseRecorder.versionOf(map.id()));
            return map.id();
        } finally {
            awaitStreams(eventId, 0); // so that the next stream starts from a release of the current version
        }
    }

    /** Asserts that the next event is {@code type} with data of {@code version}, and returns it. */
    private static SseRecorder.Message assertNext(SseRecorder sse, String type, long version) throws Exception {
        SseRecorder.Message m = sse.nextEvent(WAIT);
        assertEquals(type, m.event(), m::toString);
        assertEquals(version, SseRecorder.json(m).get("version").asLong(), m::toString);
        return m;
    }

    private static String epochOf(String id) {
        return id.substring(id.indexOf('-') + 1);
    }

    // ---- GET /events/{id}/changes ----

    @Test
    void changesListEveryChangeOldestFirstWithItsSeatsForTheSeller() {
        long id = newEvent();
        String held = reserve(id, 2, 3);
        ticketing.reservations().confirm(held, "pay", BUYER);
        Response r = api.get("/events/" + id + "/changes", bearer(SELLER));
        assertEquals(200, r.status(), r.body());
        JsonNode body = r.json();
        assertEquals(id, body.get("eventId").asLong());
        assertTrue(body.get("next").isNull(), r.body());
        JsonNode items = body.get("items");
        assertEquals(3, items.size(), r.body());
        assertEquals(1, items.get(0).get("version").asLong());
        assertEquals("event.created", items.get(0).get("type").asText());
        assertEquals("seller:3", items.get(0).get("actor").asText());
        assertEquals(0, items.get(0).get("seats").size());
        JsonNode reserved = items.get(1);
        assertEquals(2, reserved.get("version").asLong());
        assertEquals("ticket.reserved", reserved.get("type").asText());
        assertEquals("buyer:7", reserved.get("actor").asText());
        assertTrue(reserved.get("at").asText().endsWith("Z"), r.body());
        assertEquals("{\"section\":\"A\",\"subsection\":1,\"row\":2,\"seat\":3,\"status\":\"reserved\"}",
                reserved.get("seats").get(0).toString());
        assertEquals("sold", items.get(2).get("seats").get(0).get("status").asText());
    }

    @Test
    void changesArePagedByNext() {
        long id = newEvent();
        churn(id, 2); // versions 1..5
        Response first = api.get("/events/" + id + "/changes?limit=2", bearer(SELLER));
        assertEquals(2, first.json().get("items").size());
        assertEquals(2, first.json().get("next").asLong());
        Response last = api.get("/events/" + id + "/changes?since=3&limit=2", bearer(SELLER));
        assertEquals(List.of(4L, 5L), List.of(last.json().get("items").get(0).get("version").asLong(),
                last.json().get("items").get(1).get("version").asLong()));
        assertTrue(last.json().get("next").isNull(), last.body());
        Response none = api.get("/events/" + id + "/changes?since=5", bearer(SELLER));
        assertEquals(0, none.json().get("items").size());
        assertTrue(none.json().get("next").isNull());
    }

    @Test
    void changesAreTheSellersOnly() {
        long id = newEvent();
        assertEquals(401, api.get("/events/" + id + "/changes", null).status());
        Response buyer = api.get("/events/" + id + "/changes", bearer(BUYER));
        assertEquals(403, buyer.status(), buyer.body());
        assertEquals("forbidden", buyer.json().get("error").get("code").asText());
        assertEquals(403, api.get("/events/" + id + "/changes", bearer(OTHER_SELLER)).status());
        long draft = ticketing.events().create(SELLER, Drafts.draftStatus(Drafts.gala())).id();
        assertEquals(404, api.get("/events/" + draft + "/changes", bearer(OTHER_SELLER)).status());
        assertEquals(404, api.get("/events/" + draft + "/changes", bearer(BUYER)).status());
        assertEquals(200, api.get("/events/" + draft + "/changes", bearer(SELLER)).status());
        assertEquals(404, api.get("/events/987654/changes", bearer(SELLER)).status());
    }

    @Test
    void badSinceOrLimitIs400WithItsField() {
        long id = newEvent();
        for (String query : List.of("since=-1", "since=x", "since=", "limit=0", "limit=1001", "limit=x", "limit=1.5")) {
            Response r = api.get("/events/" + id + "/changes?" + query, bearer(SELLER));
            assertEquals(400, r.status(), query + ": " + r.body());
            JsonNode error = r.json().get("error");
            assertEquals("validation_failed", error.get("code").asText(), query);
            assertEquals(query.substring(0, query.indexOf('=')), error.get("field").asText(), query);
        }
        assertEquals(405, api.post("/events/" + id + "/changes", bearer(SELLER), "{}").status());
    }

    @Test
    void changesPastTheRetentionAre410HistoryExpired() {
        long id = newEvent();
        churn(id, KEPT / 2 + 50);
        Response r = api.get("/events/" + id + "/changes?since=0", bearer(SELLER));
        assertEquals(410, r.status(), r.body());
        assertEquals("history_expired", r.json().get("error").get("code").asText());
        Response kept = api.get("/events/" + id + "/changes?since=" + (version(id) - KEPT), bearer(SELLER));
        assertEquals(200, kept.status(), kept.body());
        assertEquals(100, kept.json().get("items").size());
    }

    // ---- resuming with Last-Event-ID ----

    @Test
    void resumingAtTheCurrentVersionResendsNothing() throws Exception {
        long id = newEvent();
        String current = currentId(id);
        try (SseRecorder sse = SseRecorder.open(stream(id), "Last-Event-ID", current)) {
            awaitStreams(id, 1);
            reserve(id, 1, 2);
            assertNext(sse, "status_update", version(id));
            SseRecorder.Message changes = assertNext(sse, "seat_changes", version(id));
            assertEquals(version(id), SseRecorder.versionOf(changes.id()));
        }
    }

    @Test
    void resumingFromAnOlderKeptVersionSendsTheMissedSeatChangesInOrderThenTheCurrentStatistics() throws Exception {
        long id = newEvent();
        String left = currentId(id);
        reserve(id, 1, 1);
        ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("B", 1, 1), null, BUYER); // not named
        reserve(id, 3, 4);
        long current = version(id);
        try (SseRecorder sse = SseRecorder.open(stream(id), "Last-Event-ID", left)) {
            SseRecorder.Message first = sse.nextEvent(WAIT);
            assertEquals("seat_changes", first.event(), first::toString);
            assertEquals(current - 2, SseRecorder.versionOf(first.id()));
            assertEquals("[{\"section\":\"A\",\"subsection\":1,\"row\":1,\"seat\":1,\"status\":\"reserved\"}]",
                    SseRecorder.json(first).get("changes").toString());
            SseRecorder.Message initial = sse.nextEvent(WAIT);
            assertEquals("initial_status", initial.event(), initial::toString);
            assertFalse(initial.idLine(), "the initial_status of a version whose seat_changes follow carries no id");
            assertEquals(current, SseRecorder.json(initial).get("version").asLong());
            SseRecorder.Message last = sse.nextEvent(WAIT);
            assertEquals("seat_changes", last.event(), last::toString);
            assertEquals(current, SseRecorder.versionOf(last.id()));
            assertTrue(last.idLine());
            assertEquals(epochOf(left), epochOf(last.id()));
            assertEquals(3, SseRecorder.json(last).get("changes").get(0).get("row").asInt());
            reserve(id, 2, 2); // then the stream goes on as any other
            assertNext(sse, "status_update", current + 1);
            assertEquals(current + 1, SseRecorder.versionOf(assertNext(sse, "seat_changes", current + 1).id()));
        }
    }

    @Test
    void aStatisticsOnlyStreamResumingFromAnOlderVersionGetsTheCurrentStatistics() throws Exception {
        long id = newEvent();
        String left = currentId(id);
        reserve(id, 1, 1);
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"), "Last-Event-ID", left)) {
            sse.assertEvent("initial_status", version(id));
        }
    }

    @Test
    void resumingAfterOneThousandChangesReplaysThemAndAfterMoreSendsFreshSeatMaps() throws Exception {
        long id = newEvent();
        String left = currentId(id);
        churn(id, 500);
        long current = version(id);
        try (SseRecorder sse = SseRecorder.open(stream(id), "Last-Event-ID", left)) {
            long lastId = SseRecorder.versionOf(left);
            for (int n = 0; n < 1_000; n++) {
                SseRecorder.Message m = sse.nextEvent(WAIT);
                if (n == 999) {
                    assertEquals("initial_status", m.event(), m::toString); // before the seat_changes of its version
                    m = sse.nextEvent(WAIT);
                }
                assertEquals("seat_changes", m.event(), m::toString);
                long v = SseRecorder.versionOf(m.id());
                assertEquals(lastId + 1, v, "every missed version in order");
                lastId = v;
            }
            assertEquals(current, lastId);
        }
        awaitStreams(id, 0);
        churn(id, 1); // 1,002 missed since left
        try (SseRecorder sse = SseRecorder.open(stream(id), "Last-Event-ID", left)) {
            assertFresh(sse, id);
        }
    }

    @Test
    void resumingFromAVersionPastTheRetentionResetsAndStartsAfresh() throws Exception {
        long id = newEvent();
        String left = currentId(id);
        churn(id, KEPT / 2 + 10);
        try (SseRecorder sse = SseRecorder.open(stream(id), "Last-Event-ID", left)) {
            assertReset(sse);
            assertFresh(sse, id);
        }
    }

    @Test
    void resumingFromTheFutureOrAnotherEpochResetsAndStartsAfresh() throws Exception {
        long id = newEvent();
        String current = currentId(id);
        for (String lastEventId : List.of((version(id) + 5) + "-" + epochOf(current), version(id) + "-0ther",
                "garbage")) {
            try (SseRecorder sse = SseRecorder.open(stream(id), "Last-Event-ID", lastEventId)) {
                assertReset(sse);
                assertFresh(sse, id);
            }
            awaitStreams(id, 0);
        }
    }

    @Test
    void aBareVersionIsReadAsOneOfThisStore() throws Exception {
        long id = newEvent();
        long v = version(id);
        try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream"), "Last-Event-ID",
                Long.toString(v))) {
            awaitStreams(id, 1);
            ticketing.events().update(id, new io.ticketing.core.model.EventPatch(EventStatus.ENDED, null, null), SELLER);
            sse.assertEvent("status_update", v + 1);
        }
    }

    private static void assertReset(SseRecorder sse) throws Exception {
        SseRecorder.Message reset = sse.nextEvent(WAIT);
        assertEquals("reset", reset.event(), reset::toString);
        assertFalse(reset.idLine(), reset::toString);
        assertFalse(SseRecorder.json(reset).get("reason").asText().isBlank(), reset::toString);
    }

    /** Asserts what a new subscriber gets: the current statistics, then the seat map of that version. */
    private void assertFresh(SseRecorder sse, long id) throws Exception {
        SseRecorder.Message initial = assertNext(sse, "initial_status", version(id));
        assertFalse(initial.idLine(), "the seat_map of its version follows");
        SseRecorder.Message map = assertNext(sse, "seat_map", version(id));
        assertEquals(version(id), SseRecorder.versionOf(map.id()));
    }
}
