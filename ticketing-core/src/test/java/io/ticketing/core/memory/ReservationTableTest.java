package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReservationTableTest {
    private static final Instant T0 = Instant.parse("2026-11-22T14:00:00.123456789Z");
    private final ReservationTable table = new ReservationTable();
    private final EventState event = event(1);

    private EventState event(long id) {
        return new EventState(new Event(id, "e", null, null, 1, EventStatus.AVAILABLE, true,
                new SeatingConfig(2, 5, List.of(new Section("A", 100, 1))), T0, null), T0, table, 16);
    }

    private int add(int... seats) {
        return table.add(event, 7, seats, T0, T0.plusSeconds(600), null);
    }

    @Test
    void findsEveryRowByItsIdAcrossChunks() {
        int[] rows = new int[50_000]; // a little over three chunks
        String[] ids = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = add(i % 10);
            ids[i] = table.id(rows[i]);
        }
        for (int i = 0; i < rows.length; i++) {
            assertTrue(ids[i].matches("r-[0-9a-f]{32}"), ids[i]);
            assertEquals(rows[i], table.find(ids[i]));
        }
        assertTrue(table.size() >= rows.length && table.size() < rows.length + 64, "rows taken: " + table.size());
    }

    @Test
    void threadsAddingAtOnceGetRowsOfTheirOwn() throws Exception {
        int perThread = 20_000;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        List<CompletableFuture<String[]>> adders = List.of(1, 2, 3).stream()
                .map(t -> CompletableFuture.supplyAsync(() -> {
                    String[] ids = new String[perThread];
                    for (int i = 0; i < perThread; i++) {
                        ids[i] = table.id(table.add(event, t, new int[] {i % 10}, T0, T0, null));
                    }
                    return ids;
                }, threads)).toList();
        Set<Integer> rows = new HashSet<>();
        for (int t = 0; t < adders.size(); t++) {
            for (String id : adders.get(t).get(30, TimeUnit.SECONDS)) {
                int row = table.find(id);
                assertTrue(rows.add(row), id);
                assertEquals(t + 1, table.buyerId(row));
            }
        }
        threads.shutdown();
    }

    @Test
    void aRowReadsBackAsTheReservationItStored() {
        int one = add(3);
        int two = add(1, 2);
        Reservation r = table.view(two);
        assertEquals(table.id(two), r.id());
        assertEquals(1, r.eventId());
        assertEquals(7, r.buyerId());
        assertEquals(ReservationStatus.HELD, r.status());
        assertEquals(List.of(12, 13), r.seats().stream().map(s -> s.row() * 10 + s.seat()).toList()); // row 1, seats 2 and 3
        assertEquals(200, r.totalPrice());
        assertEquals(T0, r.createdAt());
        assertEquals(T0.plusSeconds(600), r.expiresAt());
        assertNull(r.paymentReference());
        assertEquals(1, table.seatCount(one));
        assertEquals(100, table.view(one).totalPrice());

        table.confirm(one, "pay-1", T0);
        table.end(one, ReservationStatus.CANCELLED, T0); // a refund keeps the payment reference
        assertEquals(ReservationStatus.CANCELLED, table.view(one).status());
        assertEquals("pay-1", table.view(one).paymentReference());
    }

    @Test
    void unknownMalformedOrWrongTagIdsAreNotFound() {
        String id = table.id(add(0));
        String wrongTag = id.substring(0, 33) + (id.charAt(33) == '0' ? '1' : '0');
        String nextRow = id.substring(0, 9) + '1' + id.substring(10);
        for (String bad : List.of("r-nope", "", "r-", wrongTag, nextRow, id.toUpperCase(), "x" + id.substring(1),
                id + "0", id.substring(0, 33), "r-ffffffff" + id.substring(10), "r-1000000" + id.substring(9),
                id.substring(0, 5) + "g" + id.substring(6), id.substring(0, 12) + "G" + id.substring(13),
                id.substring(0, 20) + "-" + id.substring(21), id.substring(0, 30) + "\u00e9" + id.substring(31))) {
            assertEquals(-1, table.find(bad), bad);
        }
        assertEquals(0, table.find(id));
    }

    @Test
    void removedReservationsAreNotFound() {
        EventState other = event(2);
        int kept = add(0);
        int removed = table.add(other, 7, new int[] {0}, T0, T0, null);
        String removedId = table.id(removed);
        table.removeAll(other);
        assertEquals(-1, table.find(removedId));
        assertEquals(kept, table.find(table.id(kept)));
    }

    @Test
    void aReaderFindsEveryPublishedRowWhileChunksAreAdded() throws Exception {
        int total = 100_000;
        String[] ids = new String[total];
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            for (int n = published.get(); n < total; n = published.get()) {
                for (int i = Math.max(0, n - 64); i < n; i++) {
                    if (table.find(ids[i]) != i || table.view(i).buyerId() != 7) {
                        return ids[i] + " not found after " + n + " adds";
                    }
                }
            }
            return null;
        });
        for (int i = 0; i < total; i++) {
            ids[i] = table.id(add(i % 10));
            published.set(i + 1);
        }
        assertNull(reader.get(30, TimeUnit.SECONDS));
    }

    @Test
    void threadsThatEndLeaveNoRowsBehind() throws Exception {
        ReservationTable bounded = new ReservationTable(8_192, 0);
        EventState e = new EventState(event.event, T0, bounded, 16);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < 300 && failure.get() == null; t++) { // as a pool's threads come and go
            Thread thread = new Thread(() -> {
                try {
                    bounded.add(e, 7, new int[] {0}, T0, T0, null);
                } catch (RuntimeException refused) {
                    failure.set(refused);
                }
            });
            thread.start();
            thread.join();
        }
        assertNull(failure.get(), () -> "refused after some threads ended: " + failure.get());
        assertTrue(bounded.taken() <= 64 * ReservationTable.BLOCK, "rows taken: " + bounded.taken());
    }
}
