package io.ticketing.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.ForwardingTicketStore;
import io.ticketing.core.testing.Drafts;
import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams that connect together while their event changes without a pause share the node's seat-map reads:
 * a read serves every stream that joined before it began, instead of one read per stream. Streams that join
 * a quiet event whose seats the node already mirrors cost no read at all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeatMapConnectStormIT {
    private static final int STREAMS = 60;
    /** What a read of a store over the network may take; long enough for connecting streams to pile up. */
    private static final long READ_NANOS = Duration.ofMillis(20).toNanos();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** An in-memory store whose seat-map reads are counted, each taking {@link #READ_NANOS}. */
    private static ForwardingTicketStore countingReads(AtomicInteger reads) {
        return new ForwardingTicketStore(new InMemoryTicketStore()) {
            @Override
            public Optional<SeatMaps> seatMaps(long eventId, List<SubsectionRef> subsections) {
                reads.incrementAndGet();
                LockSupport.parkNanos(READ_NANOS);
                return super.seatMaps(eventId, subsections);
            }
        };
    }

    @Test
    void streamsThatJoinAQuietEventOneAfterAnotherCostNoReadAndSeeItsSeats() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        try (Ticketing ticketing = Ticketing.builder().store(countingReads(reads)).build();
             TestServer server = JettyTestServer.start(TicketingHttp.builder(ticketing).build())) {
            long id = ticketing.events().create(User.seller(3), Drafts.available("Quiet", 25, 20)).id();
            List<SseRecorder> streams = new ArrayList<>();
            try {
                SseRecorder first = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"));
                streams.add(first);
                first.nextEvent("seat_map", WAIT); // the node now mirrors A:1
                User buyer = User.buyer(100);
                ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("A", 1, 1), null, buyer);
                long version = ticketing.statistics().current(id, null).version();
                SseRecorder.Message changes = first.nextEvent("seat_changes", WAIT);
                assertEquals(version, SseRecorder.versionOf(changes.id()));
                int before = reads.get();
                for (int i = 0; i < 10; i++) {
                    SseRecorder sse = SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"));
                    streams.add(sse);
                    JsonNode map = SseRecorder.json(sse.nextEvent("seat_map", WAIT));
                    assertEquals(version, map.get("version").asLong());
                    String seats = map.get("seats").asText();
                    assertEquals(1, seats.chars().filter(c -> c == 'r').count(), "the held seat: " + seats);
                    assertEquals(499, seats.chars().filter(c -> c == 'a').count());
                }
                assertEquals(before, reads.get(), "streams that joined the quiet event read no seat map");
            } finally {
                for (SseRecorder sse : streams) {
                    sse.close();
                }
            }
        }
    }

    @Test
    void streamsThatConnectDuringARushShareSeatMapReads() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        ForwardingTicketStore store = countingReads(reads);
        AtomicBoolean rush = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(STREAMS + 2);
        try (Ticketing ticketing = Ticketing.builder().store(store).build();
             TestServer server = JettyTestServer.start(TicketingHttp.builder(ticketing)
                     .maxStreamsPerAddress(STREAMS).build())) {
            long id = ticketing.events().create(User.seller(3), Drafts.available("Rush", 25, 20)).id();
            List<Future<?>> buyers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                User buyer = User.buyer(100 + t);
                buyers.add(pool.submit(() -> {
                    for (int i = 0; rush.get() && i < 10_000_000; i++) {
                        String rid = ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("A", 1, 1),
                                null, buyer).reservation().id();
                        ticketing.reservations().cancel(rid, buyer);
                        LockSupport.parkNanos(100_000);
                    }
                    return null;
                }));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SseRecorder>> opened = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                opened.add(pool.submit(() -> {
                    go.await();
                    return SseRecorder.open(server.uri("/events/" + id + "/stream?seats=A:1"));
                }));
            }
            int before = reads.get();
            go.countDown();
            List<SseRecorder> streams = new ArrayList<>();
            try {
                for (Future<SseRecorder> f : opened) {
                    streams.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                }
                for (SseRecorder sse : streams) {
                    assertEquals(200, sse.status());
                    sse.nextEvent("seat_map", WAIT);
                }
                int storm = reads.get() - before;
                assertTrue(buyers.stream().noneMatch(Future::isDone), "the rush went on throughout");
                assertTrue(storm < STREAMS / 2, STREAMS + " streams that connected together cost " + storm
                        + " seat-map reads");
            } finally {
                for (SseRecorder sse : streams) {
                    sse.close();
                }
            }
        } finally {
            rush.set(false);
            pool.shutdown();
            assertTrue(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }
}
