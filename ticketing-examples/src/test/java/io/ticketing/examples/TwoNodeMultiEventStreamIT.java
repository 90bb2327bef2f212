package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.examples.bench.ClusterNode;
import io.ticketing.servlet.testing.SseRecorder;
import java.net.URI;
import java.time.Duration;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /stream?events=} on two nodes sharing one PostgreSQL schema and one Redis: a stream on one node
 * follows the changes made on both, ends on each event's state in the store, and its cursor resumes on the
 * other node.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoNodeMultiEventStreamIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final User SELLER = User.seller(1);
    private static final User BUYER = User.buyer(7);

    @RegisterExtension
    static final TwoNodeDeployment deployment = new TwoNodeDeployment("it_multi");

    private ClusterNode a;
    private ClusterNode b;

    @BeforeEach
    void twoNodes() throws Exception {
        TwoNodes nodes = deployment.startNodes();
        a = nodes.a();
        b = nodes.b();
    }

    private long createEvent() {
        return a.ticketing().events().create(SELLER, new EventDraft("Multi", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(4, 5, List.of(new Section("A", 1000, 1), new Section("B", 500, 1))))).id();
    }

    private void reserve(ClusterNode node, long eventId, String section, int row, int seat) {
        node.ticketing().reservations().reserve(eventId,
                ReservationRequest.seats(new SeatRef(section, 1, row, seat)), null, BUYER);
    }

    private URI stream(ClusterNode node, long[] events, long seatsOf) {
        return URI.create(node.api() + "/stream?events="
                + LongStream.of(events).mapToObj(Long::toString).collect(Collectors.joining(","))
                + "&seats=" + seatsOf + "/A:1");
    }

    @Test
    void aStreamOnOneNodeConvergesOnEveryEventChangedOnBothAndResumesOnTheOther() throws Exception {
        long[] events = LongStream.range(0, 4).map(i -> createEvent()).toArray();
        String lastId;
        try (SseRecorder onB = SseRecorder.open(stream(b, events, events[0]))) {
            assertEquals(200, onB.status());
            Map<Long, Long> seen = new HashMap<>();
            Map<Long, Integer> remaining = new HashMap<>();
            lastId = null;
            for (int i = 0; i < events.length + 1; i++) { // initial_status of each, one seat_map
                SseRecorder.Message m = onB.nextEvent(PATIENCE);
                lastId = m.idLine() ? m.id() : lastId;
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (long event : events) {
                for (int row = 1; row <= 4; row++) {
                    for (int seat = 1; seat <= 5; seat++) {
                        ClusterNode node = (row + seat) % 2 == 0 ? a : b;
                        int r = row;
                        int s = seat;
                        done.add(pool.submit(() -> reserve(node, event, "A", r, s)));
                    }
                }
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Map<Long, Long> expected = new HashMap<>();
            for (long event : events) {
                expected.put(event, a.ticketing().statistics().current(event, null).version());
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            SseRecorder.Message m = null;
            while (!seen.equals(expected) && System.nanoTime() < deadline) {
                m = onB.nextEvent(PATIENCE);
                JsonNode data = SseRecorder.json(m);
                lastId = m.idLine() ? m.id() : lastId;
                if (m.event().equals("status_update")) {
                    seen.put(data.get("eventId").asLong(), data.get("version").asLong());
                    remaining.put(data.get("eventId").asLong(), data.get("remainingTickets").asInt());
                }
            }
            assertEquals(expected, seen);
            for (long event : events) {
                assertEquals(a.ticketing().statistics().current(event, null).remainingTickets(), remaining.get(event));
            }
            while (!m.idLine()) { // a status_update followed by seat_changes: the id comes with the last frame
                m = onB.nextEvent(PATIENCE);
                lastId = m.idLine() ? m.id() : lastId;
            }
        }

        reserve(b, events[0], "B", 1, 1); // missed while away
        try (SseRecorder onA = SseRecorder.open(stream(a, events, events[0]), "Last-Event-ID", lastId)) {
            SseRecorder.Message first = onA.nextEvent(PATIENCE);
            assertEquals("initial_status", first.event(), first::toString);
            assertEquals(events[0], SseRecorder.json(first).get("eventId").asLong(), "only the changed event is re-sent");
            assertTrue(first.idLine(), "no seat of A:1 changed: the status carries the cursor");
            reserve(a, events[2], "B", 1, 1);
            SseRecorder.Message next = onA.nextEvent(PATIENCE);
            assertEquals("status_update", next.event(), next::toString);
            assertEquals(events[2], SseRecorder.json(next).get("eventId").asLong());
        }
    }
}
