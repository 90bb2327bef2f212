package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HoldQueueTest {
    private static final Instant T0 = Instant.parse("2026-11-22T14:00:00Z");
    private final ReservationTable table = new ReservationTable();
    private final EventState event = new EventState(new Event(1, "e", null, null, 1, EventStatus.AVAILABLE, true,
            new SeatingConfig(1, 1, List.of(new Section("A", 100, 1))), T0, null), T0, table, 16);
    private final HoldQueue holds = new HoldQueue(table);

    private int hold() {
        int row = table.add(event, 7, new int[] {0}, T0, T0, null);
        holds.add(row);
        return row;
    }

    private void end(int row) {
        table.end(row, ReservationStatus.CANCELLED, T0);
        holds.ended();
    }

    @Test
    void theOldestHoldStillHeldComesFirst() {
        int a = hold();
        int b = hold();
        int c = hold();
        assertEquals(a, holds.oldest());
        end(b);
        assertEquals(a, holds.oldest());
        end(a);
        assertEquals(c, holds.oldest());
        assertEquals(1, holds.held());
        end(c);
        assertEquals(-1, holds.oldest());
        assertEquals(0, holds.held());
    }

    @Test
    void keepsCreationOrderThroughCompactionsAndGrowth() {
        Random random = new Random(42);
        Deque<Integer> expected = new ArrayDeque<>();
        for (int n = 0; n < 20_000; n++) {
            expected.addLast(hold());
            if (random.nextInt(3) > 0) { // end a random hold, not the oldest: it stays listed until compacted
                Integer victim = expected.stream().skip(random.nextInt(expected.size())).findFirst().orElseThrow();
                expected.remove(victim);
                end(victim);
            }
            assertEquals(expected.size(), holds.held());
        }
        while (!expected.isEmpty()) {
            int oldest = expected.removeFirst();
            assertEquals(oldest, holds.oldest());
            end(oldest);
        }
        assertEquals(-1, holds.oldest());
    }

    @Test
    void aRowForgottenAndTakenAgainIsNotTheHoldListedThere() {
        ReservationTable reusing = new ReservationTable(1_024, 0);
        EventState one = new EventState(event.event, T0, reusing, 16);
        EventState other = new EventState(event.event, T0, reusing, 16);
        HoldQueue queue = new HoldQueue(reusing);
        int first = reusing.add(one, 7, new int[] {0}, T0, T0, null);
        queue.add(first);
        List<Integer> ended = new ArrayList<>();
        for (int n = 0; n < ReservationTable.BLOCK; n++) {
            int row = reusing.add(one, 7, new int[] {0}, T0, T0, null);
            queue.add(row);
            reusing.end(row, ReservationStatus.CANCELLED, T0);
            queue.ended();
            reusing.forget(row);
            ended.add(row);
        }
        reusing.freeGraced();
        int reused = -1;
        while (!ended.contains(reused)) { // this stripe's block first, then the free block of forgotten rows
            reused = reusing.add(other, 8, new int[] {0}, T0, T0, null);
        }
        assertEquals(ReservationStatus.HELD, reusing.status(reused));
        reusing.end(first, ReservationStatus.CANCELLED, T0);
        queue.ended();
        assertEquals(-1, queue.oldest(), "the entry of a forgotten row does not name the other event's hold");
    }
}
