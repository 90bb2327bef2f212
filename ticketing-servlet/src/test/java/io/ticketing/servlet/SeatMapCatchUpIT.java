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
import java.util.ArrayList;
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

    @Test
    void aLostSnapshotIsCaughtUpFromTheLogWithoutASeatMapRead() throws Exception {
        CountingStore store = new CountingStore();
        LossyBroadcaster broadcaster = new LossyBroadcaster();
        try (Ticketing ticketing = Ticketing.builder().store(store).broadcaster(broadcaster).build();
             TestServer server = JettyTestServer.start(TicketingHttp.builder(ticketing).build())) {
            long id = ticketing.events().create(User.seller(3), Drafts.available("Gap", 25, 20)).id();
            try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"))) {
                nextOf(sse, "seat_map");
                SeatRef first = reserve(ticketing, id, 100);
                assertEquals(Set.of(first), changedSeats(nextOf(sse, "seat_changes")));
                int mapReads = store.mapReads.get();

                broadcaster.lose.set(1);
                SeatRef lost = reserve(ticketing, id, 101); // its snapshot never reaches the node
                SeatRef next = reserve(ticketing, id, 102); // a gap: the node's mirror cannot account for it
                long version = ticketing.statistics().current(id, null).version();
                SseRecorder.Message changes = nextOf(sse, "seat_changes");
                assertEquals(version, SseRecorder.versionOf(changes.id()));
                assertEquals(Set.of(lost, next), changedSeats(changes), "the lost change comes from the log");
                assertEquals(mapReads, store.mapReads.get(), "no seat map was read again");
                assertEquals(1, store.logReads.get(), "one read of the change log");
            }
        }
    }

    @Test
    void aLostSnapshotInALongBurstIsCaughtUpOnceAndEveryStreamEndsOnTheStoresSeats() throws Exception {
        CountingStore store = new CountingStore();
        LossyBroadcaster broadcaster = new LossyBroadcaster();
        try (Ticketing ticketing = Ticketing.builder().store(store).broadcaster(broadcaster).build();
             TestServer server = JettyTestServer.start(TicketingHttp.builder(ticketing).build())) {
            long id = ticketing.events().create(User.seller(3), Drafts.available("Burst", 25, 20)).id();
            try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"))) {
                String initial = SseRecorder.json(nextOf(sse, "seat_map")).get("seats").asText();
                int mapReads = store.mapReads.get();
                broadcaster.lose.set(1);
                // one gap, in more changes than the 128 after which a stale mirror catches up without waiting for a
                // release: whichever comes first, one catch-up
                int burst = 200;
                for (int i = 0; i < burst; i++) {
                    reserve(ticketing, id, 2000 + i);
                }
                long version = ticketing.statistics().current(id, null).version();
                String seats = seatsAt(sse, initial, version);
                assertEquals(burst, seats.chars().filter(c -> c == 'r').count(), seats);
                assertEquals(mapReads, store.mapReads.get(), "no seat map was read again");
                assertEquals(1, store.logReads.get(), "one catch-up for the one gap");
            }
        }
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

    @Test
    void aGapLongerThanTheCatchUpIsReadAsAWholeMap() throws Exception {
        CountingStore store = new CountingStore();
        LossyBroadcaster broadcaster = new LossyBroadcaster();
        try (Ticketing ticketing = Ticketing.builder().store(store).broadcaster(broadcaster).build();
             TestServer server = JettyTestServer.start(TicketingHttp.builder(ticketing).build())) {
            long id = ticketing.events().create(User.seller(3), Drafts.available("Long gap", 25, 20)).id();
            try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"))) {
                nextOf(sse, "seat_map");
                int mapReads = store.mapReads.get();
                int lost = 300; // more than the 256 versions caught up from the log
                broadcaster.lose.set(lost);
                List<SeatRef> held = new ArrayList<>();
                for (int i = 0; i <= lost; i++) {
                    held.add(reserve(ticketing, id, 1000 + i));
                }
                long version = ticketing.statistics().current(id, null).version();
                SseRecorder.Message m;
                do {
                    m = sse.nextEvent(WAIT);
                } while (!m.event().equals("seat_map") || SseRecorder.versionOf(m.id()) != version);
                String seats = SseRecorder.json(m).get("seats").asText();
                assertEquals(held.size(), seats.chars().filter(c -> c == 'r').count(), seats);
                assertEquals(mapReads + 1, store.mapReads.get(), "one seat-map read for the whole gap");
                assertEquals(0, store.logReads.get(), "the log is not read for a gap this long");
            }
        }
    }

    /** Buyer {@code buyer}'s hold of the best available seat of A:1. */
    private static SeatRef reserve(Ticketing ticketing, long eventId, long buyer) {
        ReservedSeat seat = ticketing.reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 1), null,
                User.buyer(buyer)).reservation().seats().get(0);
        return new SeatRef(seat.section(), seat.subsection(), seat.row(), seat.seat());
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

    /** The stream's next event of {@code type}, skipping others. */
    private static SseRecorder.Message nextOf(SseRecorder sse, String type) throws InterruptedException {
        SseRecorder.Message m;
        do {
            m = sse.nextEvent(WAIT);
        } while (!m.event().equals(type));
        return m;
    }
}
