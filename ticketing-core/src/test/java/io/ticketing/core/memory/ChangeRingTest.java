package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ChangeRingTest {
    private static final SeatGrid GRID = new SeatGrid(new SeatingConfig(2, 2, List.of(new Section("A", 100, 1))));

    @Test
    void keepsExactlyTheLastCapacityChangesAsItGrowsAndWraps() {
        for (int capacity : new int[] {1, 2, 3, 5, 16, 17, 100}) {
            ChangeRing ring = new ChangeRing(capacity);
            for (long v = 1; v <= 300; v++) {
                ring.append(new ChangeRing.Entry(v, new LastEvent(ChangeType.TICKET_RESERVED, "buyer:" + v, 0,
                        Instant.EPOCH), new int[0], SeatStatus.RESERVED));
                long first = Math.max(1, v - capacity + 1);
                List<Long> kept = ring.after(1, first - 1, 1_000, GRID).stream().map(LoggedChange::version).toList();
                assertEquals(LongStream.rangeClosed(first, v).boxed().toList(), kept, "capacity " + capacity + " at " + v);
                assertEquals("buyer:" + v, ring.after(1, v - 1, 1, GRID).get(0).actor());
                if (first > 1) {
                    long since = first - 2;
                    assertThrows(TicketingException.class, () -> ring.after(1, since, 1, GRID),
                            "capacity " + capacity + ": version " + (first - 1) + " is no longer kept");
                }
            }
        }
    }
}
