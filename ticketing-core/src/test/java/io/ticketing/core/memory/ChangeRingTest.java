package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeRingTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    /** One row of 20 seats: grid index i is seat i + 1. */
    private final SeatGrid grid = new SeatGrid(new SeatingConfig(1, 20, List.of(new Section("A", 100, 1))));

    /** Change v moved one seat when v is a multiple of 3, else two; to reserved when v is odd. */
    private static void append(ChangeRing ring, long v) {
        LastEvent e = new LastEvent(ChangeType.TICKET_RESERVED, "buyer:" + v, 1, T0.plusSeconds(v));
        SeatStatus status = v % 2 == 1 ? SeatStatus.RESERVED : SeatStatus.AVAILABLE;
        if (v % 3 == 0) {
            ring.appendOne(v, e, (int) (v % 20), status);
        } else {
            ring.append(v, e, new int[] {(int) (v % 20), (int) ((v + 1) % 20)}, status);
        }
    }

    private static void assertLogged(LoggedChange c, long v) {
        assertEquals(v, c.version());
        assertEquals("buyer:" + v, c.actor());
        SeatStatus status = v % 2 == 1 ? SeatStatus.RESERVED : SeatStatus.AVAILABLE;
        List<SeatChange> seats = v % 3 == 0 ? List.of(new SeatChange("A", 1, 1, (int) (v % 20) + 1, status))
                : List.of(new SeatChange("A", 1, 1, (int) (v % 20) + 1, status),
                        new SeatChange("A", 1, 1, (int) ((v + 1) % 20) + 1, status));
        assertEquals(seats, c.seats(), "seats of version " + v);
    }

    @Test
    void everyChangeStaysReadableWhileTheRingGrowsAndTheLastCapacityOnesAfterItWraps() {
        ChangeRing ring = new ChangeRing(40);
        for (long v = 1; v <= 100; v++) {
            append(ring, v);
            long oldest = Math.max(1, v - 39);
            List<LoggedChange> page = ring.after(9, oldest - 1, 100, grid);
            assertEquals(v - oldest + 1, page.size(), "changes kept after version " + v);
            for (int k = 0; k < page.size(); k++) {
                assertLogged(page.get(k), oldest + k);
            }
            if (oldest > 1) {
                long expired = oldest - 2;
                assertEquals(ErrorCode.HISTORY_EXPIRED, assertThrows(TicketingException.class,
                        () -> ring.after(9, expired, 10, grid)).code());
            }
        }
        assertEquals(100, ring.last());
    }

    @Test
    void aPageStartsAfterTheGivenVersionAndStopsAtTheLimit() {
        ChangeRing ring = new ChangeRing(1_000);
        for (long v = 5; v <= 50; v++) {
            append(ring, v);
        }
        List<LoggedChange> page = ring.after(9, 20, 7, grid);
        assertEquals(7, page.size());
        for (int k = 0; k < 7; k++) {
            assertLogged(page.get(k), 21 + k);
        }
        assertEquals(List.of(), ring.after(9, 50, 7, grid));
    }

    @Test
    void aChangeThatDoesNotFollowTheLastIsRefused() {
        ChangeRing ring = new ChangeRing(16);
        append(ring, 1);
        assertThrows(IllegalStateException.class, () -> append(ring, 3));
    }
}
