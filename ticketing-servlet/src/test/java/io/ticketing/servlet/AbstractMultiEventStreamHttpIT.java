package io.ticketing.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.Drafts;
import io.ticketing.servlet.testing.SseRecorder;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /stream?events=…} as api.md's "Many subscriptions on one connection" states it, and the caps
 * that apply to it, on a container that a subclass starts.
 */
abstract class AbstractMultiEventStreamHttpIT extends AbstractHttpIT {
    private static final User BUYER = User.buyer(7);
    private static final int MAX_TOPICS = 60;

    @Override
    TicketingHttp.Builder settings(Ticketing ticketing) {
        return defaults(ticketing).maxTopicsPerStream(MAX_TOPICS).maxStreamsPerAddress(40);
    }

    private long newEvent() {
        return newEvent(Drafts.gala());
    }

    private String reserve(long eventId, String section, int subsection, int row, int seat) {
        return ticketing.reservations().reserve(eventId,
                ReservationRequest.seats(new SeatRef(section, subsection, row, seat)), null, BUYER).reservation().id();
    }

    private URI stream(String query) {
        return server.uri("/stream?" + query);
    }

    private static String list(long... ids) {
        return LongStream.of(ids).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    private static SseRecorder.Message next(SseRecorder sse, String type, long eventId) throws Exception {
        SseRecorder.Message m = sse.nextEvent(WAIT);
        assertEquals(type, m.event(), m::toString);
        assertEquals(eventId, SseRecorder.json(m).get("eventId").asLong(), m::toString);
        return m;
    }

    private void assertRefused(String query, int status, String code, String field) throws Exception {
        try (SseRecorder sse = SseRecorder.open(stream(query))) {
            assertEquals(status, sse.status(), query);
            JsonNode error = sse.errorBody().get("error");
            assertEquals(code, error.get("code").asText(), error::toString);
            if (field != null) {
                assertEquals(field, error.get("field").asText(), error::toString);
            }
        }
    }

    private void awaitNoStreams() {
        Await.until(() -> http.connectionStatistics().connections() == 0, WAIT, "every stream closed");
    }

    // ---- validation ----

    @Test
    void aMissingEmptyMalformedRepeatedOrTooLongEventListIs400OnEvents() throws Exception {
        long a = newEvent();
        assertRefused("seats=" + a + "/A:1", 400, "validation_failed", "events");
        assertRefused("events=", 400, "validation_failed", "events");
        assertRefused("events=" + a + ",x", 400, "validation_failed", "events");
        assertRefused("events=" + a + ",,", 400, "validation_failed", "events");
        assertRefused("events=-" + a, 400, "validation_failed", "events");
        assertRefused("events=" + a + "," + a, 400, "validation_failed", "events");
        assertRefused("events=" + list(LongStream.rangeClosed(1, 51).toArray()), 400, "validation_failed", "events");
        awaitNoStreams();
    }

    @Test
    void badSeatItemsAre400OnSeats() throws Exception {
        long a = newEvent();
        long b = newEvent();
        String events = "events=" + list(a, b) + "&seats=";
        assertRefused(events + "A:1", 400, "validation_failed", "seats");
        assertRefused(events + a + "/A", 400, "validation_failed", "seats");
        assertRefused(events + "999999/A:1", 400, "validation_failed", "seats");
        assertRefused(events + a + "/Z:1", 400, "validation_failed", "seats");
        assertRefused(events + a + "/A:3", 400, "validation_failed", "seats");
        assertRefused(events + a + "/A:1," + a + "/A:1", 400, "validation_failed", "seats");
        assertRefused(events + LongStream.range(0, 21).mapToObj(i -> a + "/A:1").collect(Collectors.joining(",")),
                400, "validation_failed", "seats");
        awaitNoStreams();
    }

    @Test
    void anUnknownOrHiddenEventIs404BeforeTheStreamOpens() throws Exception {
        long a = newEvent();
        long draft = ticketing.events().create(SELLER, Drafts.draftStatus(Drafts.gala())).id();
        assertRefused("events=" + list(a, 999_999), 404, "not_found", null);
        assertRefused("events=" + list(a, draft), 404, "not_found", null);
        awaitNoStreams();
    }

    // ---- frames ----

    @Test
    void framesOfSeveralEventsArriveWithTheirEventIdsAndSeatsOfTheNamedSubsectionsOnly() throws Exception {
        long a = newEvent();
        long b = newEvent();
        long c = newEvent();
        try (SseRecorder sse = SseRecorder.open(stream("events=" + list(a, b, c) + "&seats=" + a + "/A:1," + c + "/B:1"))) {
            assertEquals(200, sse.status());
            Map<Long, Integer> initial = new HashMap<>();
            int maps = 0;
            for (int i = 0; i < 5; i++) {
                SseRecorder.Message m = sse.nextEvent(WAIT);
                JsonNode data = SseRecorder.json(m);
                if (m.event().equals("initial_status")) {
                    initial.merge(data.get("eventId").asLong(), 1, Integer::sum);
                } else {
                    assertEquals("seat_map", m.event(), m::toString);
                    long event = data.get("eventId").asLong();
                    assertEquals(event == a ? "A" : "B", data.get("section").asText(), m::toString);
                    assertTrue(event == a || event == c, m::toString);
                    maps++;
                }
            }
            assertEquals(Map.of(a, 1, b, 1, c, 1), initial);
            assertEquals(2, maps);

            reserve(b, "A", 1, 1, 1); // b names no subsection: its status only
            next(sse, "status_update", b);
            reserve(a, "A", 2, 1, 1); // a subsection of a the stream does not name
            next(sse, "status_update", a);
            reserve(a, "A", 1, 2, 3);
            next(sse, "status_update", a);
            SseRecorder.Message changes = next(sse, "seat_changes", a);
            JsonNode change = SseRecorder.json(changes).get("changes").get(0);
            assertEquals(2, change.get("row").asInt());
            assertEquals(3, change.get("seat").asInt());
            assertTrue(changes.idLine(), "the last frame of a change carries the id");
            reserve(c, "B", 1, 1, 2);
            next(sse, "status_update", c);
            next(sse, "seat_changes", c);
        }
        awaitNoStreams();
    }

    @Test
    void everyFrameOfAChangeButTheLastCarriesNoIdAndIdsAreOneCursorForTheWholeStream() throws Exception {
        long a = newEvent();
        long b = newEvent();
        try (SseRecorder sse = SseRecorder.open(stream("events=" + list(a, b) + "&seats=" + a + "/A:1"))) {
            List<SseRecorder.Message> first = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                first.add(sse.nextEvent(WAIT));
            }
            String last = first.get(2).id();
            assertTrue(last.length() <= 1000);
            assertTrue(last.endsWith("-" + ticketing.statistics().epoch()), last);
            reserve(a, "A", 1, 1, 4);
            SseRecorder.Message update = next(sse, "status_update", a);
            assertFalse(update.idLine(), "a status_update followed by seat_changes has no id: " + update);
            SseRecorder.Message changes = next(sse, "seat_changes", a);
            assertTrue(changes.idLine(), changes::toString);
            assertFalse(changes.id().equals(last), "the cursor moved on");
        }
        awaitNoStreams();
    }

    // ---- resuming ----

    @Test
    void resumingWithTheLastIdReSendsNothingWhenCurrentAndWhatWasMissedOtherwise() throws Exception {
        long a = newEvent();
        long b = newEvent();
        String query = "events=" + list(a, b) + "&seats=" + a + "/A:1";
        String lastId;
        try (SseRecorder sse = SseRecorder.open(stream(query))) {
            SseRecorder.Message m = null;
            for (int i = 0; i < 3; i++) {
                m = sse.nextEvent(WAIT);
            }
            lastId = m.id();
        }
        awaitNoStreams();
        try (SseRecorder sse = SseRecorder.open(stream(query), "Last-Event-ID", lastId)) {
            assertEquals(200, sse.status());
            reserve(b, "A", 1, 1, 1); // the first event is this change: nothing was re-sent
            SseRecorder.Message m = next(sse, "status_update", b);
            assertEquals(version(b), SseRecorder.json(m).get("version").asLong());
            lastId = m.id();
        }
        awaitNoStreams();

        reserve(a, "A", 1, 3, 3); // missed while away
        reserve(a, "A", 1, 3, 4);
        try (SseRecorder sse = SseRecorder.open(stream(query), "Last-Event-ID", lastId)) {
            SseRecorder.Message changes1 = next(sse, "seat_changes", a);
            assertEquals(3, SseRecorder.json(changes1).get("changes").get(0).get("seat").asInt());
            next(sse, "initial_status", a);
            SseRecorder.Message changes2 = next(sse, "seat_changes", a);
            assertEquals(4, SseRecorder.json(changes2).get("changes").get(0).get("seat").asInt());
            assertEquals(version(a), SseRecorder.json(changes2).get("version").asLong());
            reserve(b, "B", 1, 1, 1); // b was current: nothing of it came before this change
            next(sse, "status_update", b);
        }
        awaitNoStreams();
    }

    @Test
    void aCursorThisServerCouldNotHaveSentResetsTheWholeStream() throws Exception {
        long a = newEvent();
        long b = newEvent();
        String epoch = ticketing.statistics().epoch();
        for (String garbage : List.of("garbage", "1.1.-other", "1.-" + epoch, "1.1.1.-" + epoch, "zz!.1.-" + epoch,
                "5-" + epoch, "1.zzzzzzz.-" + epoch)) {
            try (SseRecorder sse = SseRecorder.open(stream("events=" + list(a, b)), "Last-Event-ID", garbage)) {
                SseRecorder.Message reset = sse.nextEvent(WAIT);
                assertEquals("reset", reset.event(), garbage + ": " + reset);
                assertNull(reset.id());
                Map<Long, String> initial = new HashMap<>();
                for (int i = 0; i < 2; i++) {
                    SseRecorder.Message m = sse.nextEvent(WAIT);
                    initial.put(SseRecorder.json(m).get("eventId").asLong(), m.event());
                }
                assertEquals(Map.of(a, "initial_status", b, "initial_status"), initial, garbage);
            }
        }
        awaitNoStreams();
    }

    // ---- convergence ----

    @Test
    void afterConcurrentReservationsOnSeveralEventsEachEventsLastStatusOnTheStreamIsTheStores() throws Exception {
        long[] events = LongStream.range(0, 5).map(i -> newEvent()).toArray();
        try (SseRecorder sse = SseRecorder.open(stream("events=" + list(events)))) {
            Map<Long, Long> lastVersion = new HashMap<>();
            Map<Long, Integer> lastRemaining = new HashMap<>();
            for (int i = 0; i < events.length; i++) {
                JsonNode data = SseRecorder.json(sse.nextEvent(WAIT));
                lastVersion.put(data.get("eventId").asLong(), data.get("version").asLong());
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (long event : events) {
                for (int row = 1; row <= 3; row++) {
                    for (int seat = 1; seat <= 4; seat++) {
                        int r = row;
                        int s = seat;
                        done.add(pool.submit(() -> reserve(event, "B", 1, r, s)));
                    }
                }
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Map<Long, Long> expected = new HashMap<>();
            for (long event : events) {
                expected.put(event, version(event));
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!lastVersion.equals(expected) && System.nanoTime() < deadline) {
                SseRecorder.Message m = sse.nextEvent(WAIT);
                JsonNode data = SseRecorder.json(m);
                long event = data.get("eventId").asLong();
                assertTrue(data.get("version").asLong() > lastVersion.get(event), "went back: " + m);
                lastVersion.put(event, data.get("version").asLong());
                lastRemaining.put(event, data.get("remainingTickets").asInt());
            }
            assertEquals(expected, lastVersion);
            for (long event : events) {
                assertEquals(ticketing.statistics().current(event, null).remainingTickets(), lastRemaining.get(event));
            }
        }
        awaitNoStreams();
    }

    // ---- caps ----

    @Test
    void moreTopicsThanTheServerAllowsIs429TooManyTopics() throws Exception {
        long[] fifty = LongStream.range(0, 50).map(i -> newEvent()).toArray();
        String seats = LongStream.of(fifty).limit(11).mapToObj(id -> id + "/A:1").collect(Collectors.joining(","));
        assertRefused("events=" + list(fifty) + "&seats=" + seats, 429, "too_many_topics", null);
        String fits = LongStream.of(fifty).limit(10).mapToObj(id -> id + "/A:1").collect(Collectors.joining(","));
        try (SseRecorder sse = SseRecorder.open(stream("events=" + list(fifty) + "&seats=" + fits))) {
            assertEquals(200, sse.status()); // 60 topics: the cap
        }
        awaitNoStreams();
    }

    @Test
    void streamsOfSeveralEventsCountAgainstTheAddressCap() throws Exception {
        long a = newEvent();
        long b = newEvent();
        List<SseRecorder> open = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                SseRecorder sse = SseRecorder.open(i % 2 == 0 ? stream("events=" + list(a, b))
                        : server.uri("/events/" + a + "/stream"));
                open.add(sse);
                assertEquals(200, sse.status());
            }
            assertRefused("events=" + list(a, b), 429, "too_many_connections", null);
        } finally {
            for (SseRecorder sse : open) {
                sse.close();
            }
        }
        awaitNoStreams();
    }
}
