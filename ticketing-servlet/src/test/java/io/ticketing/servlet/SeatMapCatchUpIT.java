package io.ticketing.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.memory.InProcessBroadcaster;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.ForwardingStatisticsBroadcaster;
import io.ticketing.core.spi.ForwardingTicketStore;
import io.ticketing.core.testing.Drafts;
import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node that misses snapshots of an event (lost, or handed over after a newer one) catches its seat maps up
 * from the event's change log, at the cost of the changes missed, and re-reads whole maps only when the gap is
 * longer than that is worth. Either way every stream ends on the store's seats.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeatMapCatchUpIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** An in-memory store whose seat-map reads and change-log reads are counted. */
    private static final class CountingStore extends ForwardingTicketStore {
        final AtomicInteger mapReads = new AtomicInteger();
        final AtomicInteger logReads = new AtomicInteger();

        CountingStore() {
            super(new InMemoryTicketStore());
        }

        @Override
        public Optional<SeatMaps> seatMaps(long eventId, List<SubsectionRef> subsections) {
            mapReads.incrementAndGet();
            return super.seatMaps(eventId, subsections);
        }

        @Override
        public Optional<ChangePage> changes(long eventId, long since, int limit) {
            logReads.incrementAndGet();
            return super.changes(eventId, since, limit);
        }
    }

    /** The in-process broadcaster, but the snapshots published while {@code lose} is above zero never arrive. */
    private static final class LossyBroadcaster extends ForwardingStatisticsBroadcaster {
        final AtomicInteger lose = new AtomicInteger();

        LossyBroadcaster() {
            super(new InProcessBroadcaster());
        }

        @Override
        public void publish(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
            if (lose.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                super.publish(statistics, seatChanges);
            }
        }
    }

    /**
     * A node on a counting store and a lossy broadcaster, with one event of 25 × 20 seats in A:1 and one stream
     * of its statistics and A:1's seats, which has received its first {@code seat_map} ({@link #initial}).
     */
    private static final class Node implements AutoCloseable {
        final CountingStore store = new CountingStore();
        final LossyBroadcaster broadcaster = new LossyBroadcaster();
        final Ticketing ticketing = Ticketing.builder().store(store).broadcaster(broadcaster).build();
        final TestServer server = JettyTestServer.start(TicketingHttp.builder(ticketing).build());
        final long eventId = ticketing.events().create(User.seller(3), Drafts.available("Gaps", 25, 20)).id();
        final SseRecorder stream = SseRecorder.open(server.uri("/events/" + eventId + "/stream?seats=A:1"));
        final String initial = SseRecorder.json(stream.nextEvent("seat_map", WAIT)).get("seats").asText();

        Node() throws Exception {
        }

        /** Buyer {@code buyer}'s hold of the best available seat of A:1. */
        SeatRef reserve(long buyer) {
            ReservedSeat seat = ticketing.reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 1),
                    null, User.buyer(buyer)).reservation().seats().get(0);
            return new SeatRef(seat.section(), seat.subsection(), seat.row(), seat.seat());
        }

        long version() {
            return ticketing.statistics().current(eventId, null).version();
        }

        @Override
        public void close() throws Exception {
            try (ticketing; server; stream) {
                // closed in reverse order
            }
        }
    }

    @Test
    void aLostSnapshotIsCaughtUpFromTheLogWithoutASeatMapRead() throws Exception {
        try (Node node = new Node()) {
            SeatRef first = node.reserve(100);
            assertEquals(Set.of(first), changedSeats(node.stream.nextEvent("seat_changes", WAIT)));
            int mapReads = node.store.mapReads.get();

            node.broadcaster.lose.set(1);
            SeatRef lost = node.reserve(101); // its snapshot never reaches the node
            SeatRef next = node.reserve(102); // a gap: the node's mirror cannot account for it
            SseRecorder.Message changes = node.stream.nextEvent("seat_changes", WAIT);
            assertEquals(node.version(), SseRecorder.versionOf(changes.id()));
            assertEquals(Set.of(lost, next), changedSeats(changes), "the lost change comes from the log");
            assertEquals(mapReads, node.store.mapReads.get(), "no seat map was read again");
            assertEquals(1, node.store.logReads.get(), "one read of the change log");
        }
    }

    @Test
    void aLostSnapshotInALongBurstIsCaughtUpOnceAndEveryStreamEndsOnTheStoresSeats() throws Exception {
        try (Node node = new Node()) {
            int mapReads = node.store.mapReads.get();
            node.broadcaster.lose.set(1);
            // one gap, in more changes than the 128 after which a stale mirror catches up without waiting for a
            // release: whichever comes first, one catch-up
            int burst = 200;
            for (int i = 0; i < burst; i++) {
                node.reserve(2000 + i);
            }
            String seats = seatsAt(node.stream, node.initial, node.version());
            assertEquals(burst, seats.chars().filter(c -> c == 'r').count(), seats);
            assertEquals(mapReads, node.store.mapReads.get(), "no seat map was read again");
            assertEquals(1, node.store.logReads.get(), "one catch-up for the one gap");
        }
    }

    @Test
    void aGapLongerThanTheCatchUpIsReadAsAWholeMap() throws Exception {
        try (Node node = new Node()) {
            int mapReads = node.store.mapReads.get();
            int lost = 300; // more than the 256 versions caught up from the log
            node.broadcaster.lose.set(lost);
            for (int i = 0; i <= lost; i++) {
                node.reserve(1000 + i);
            }
            String seats = seatsAt(node.stream, node.initial, node.version());
            assertEquals(lost + 1, seats.chars().filter(c -> c == 'r').count(), seats);
            assertEquals(mapReads + 1, node.store.mapReads.get(), "one seat-map read for the whole gap");
            assertEquals(0, node.store.logReads.get(), "the log is not read for a gap this long");
        }
    }

    private static Set<SeatRef> changedSeats(SseRecorder.Message changes) throws Exception {
        Set<SeatRef> seats = new HashSet<>();
        for (JsonNode c : SseRecorder.json(changes).get("changes")) {
            assertTrue(c.get("status").asText().equals("reserved"), c.toString());
            seats.add(new SeatRef(c.get("section").asText(), c.get("subsection").asInt(), c.get("row").asInt(),
                    c.get("seat").asInt()));
        }
        return seats;
    }

    /**
     * The seats of A:1 (20 seats a row) at {@code version} as a stream shows them: {@code seats}, then each
     * {@code seat_map} and {@code seat_changes} it sends, up to that version's.
     */
    private static String seatsAt(SseRecorder sse, String seats, long version) throws Exception {
        char[] shown = seats.toCharArray();
        while (true) {
            SseRecorder.Message m = sse.nextEvent(WAIT);
            if (m.event().equals("seat_map")) {
                shown = SseRecorder.json(m).get("seats").asText().toCharArray();
            } else if (m.event().equals("seat_changes")) {
                for (JsonNode c : SseRecorder.json(m).get("changes")) {
                    shown[(c.get("row").asInt() - 1) * 20 + c.get("seat").asInt() - 1] =
                            c.get("status").asText().equals("reserved") ? 'r' : '?';
                }
            } else {
                continue;
            }
            if (SseRecorder.versionOf(m.id()) == version) {
                return new String(shown);
            }
        }
    }
}
