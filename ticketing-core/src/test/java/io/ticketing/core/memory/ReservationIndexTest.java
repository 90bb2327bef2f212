package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReservationIndexTest {
    private static final Instant T0 = Instant.parse("2026-11-22T14:00:00Z");
    private static final EventState EVENT = event(1);

    private static EventState event(long id) {
        return new EventState(new Event(id, "e", null, null, 1, EventStatus.AVAILABLE, true,
                new SeatingConfig(1, 1, List.of(new Section("A", 100, 1))), T0), T0);
    }

    private static StoredReservation reservation(String id, EventState event) {
        return new StoredReservation(id, event, 7, new int[] {0}, T0, T0.plusSeconds(600));
    }

    @Test
    void findsEveryAddedIdAcrossGrowthAndNothingElse() {
        ReservationIndex index = new ReservationIndex();
        StoredReservation[] added = new StoredReservation[100_000];
        for (int i = 0; i < added.length; i++) {
            added[i] = reservation("r-" + i, EVENT);
            index.add(added[i]);
        }
        for (int i = 0; i < added.length; i++) {
            assertSame(added[i], index.get("r-" + i));
        }
        assertNull(index.get("r-" + added.length));
        assertEquals(added.length, index.size());
    }

    @Test
    void idsWithTheSameHashAreToldApart() {
        ReservationIndex index = new ReservationIndex();
        StoredReservation aa = reservation("Aa", EVENT);
        StoredReservation bb = reservation("BB", EVENT); // "Aa".hashCode() == "BB".hashCode()
        index.add(aa);
        index.add(bb);
        assertSame(aa, index.get("Aa"));
        assertSame(bb, index.get("BB"));
        assertNull(index.get("C#"));
    }

    @Test
    void removedReservationsAreNotFound() {
        ReservationIndex index = new ReservationIndex();
        EventState other = event(2);
        index.add(reservation("r-1", EVENT));
        index.add(reservation("r-2", other));
        index.removeIf(r -> r.event == other);
        assertSame(EVENT, index.get("r-1").event);
        assertNull(index.get("r-2"));
    }

    @Test
    void aReaderFindsEveryReservationAddedBeforeItLooksWhileTheIndexGrows() throws Exception {
        ReservationIndex index = new ReservationIndex();
        AtomicInteger added = new AtomicInteger();
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            while (added.get() < 300_000) {
                int n = added.get();
                for (int i = Math.max(0, n - 100); i < n; i++) {
                    if (index.get("r-" + i) == null) {
                        return "r-" + i + " missing after " + n + " adds";
                    }
                }
            }
            return null;
        });
        for (int i = 0; i < 300_000; i++) {
            index.add(reservation("r-" + i, EVENT));
            added.set(i + 1);
        }
        assertNull(reader.get(1, TimeUnit.MINUTES));
    }
}
