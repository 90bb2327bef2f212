package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.spi.TicketStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryTicketStoreTest extends TicketStoreContract {
    @Override
    protected TicketStore newStore() {
        return new InMemoryTicketStore();
    }

    /**
     * A thread that read the clock, then waited for the event's lock while another listed a later hold, must
     * not list a hold that the sweep, which goes in list order and stops at the first one not due, would
     * leave held past its expiry.
     */
    @Test
    void aHoldMadeWithAnOlderClockReadingNeverOutlivesItsExpiryUnswept() {
        Event event = gala();
        Instant late = T0.plusSeconds(300);
        store.reserve(new ReserveCommand.BestAvailable(null, event.id(), 7, "A", 1, 1, null, late, late.plus(HOLD)));
        Reservation stale = store.reserve(new ReserveCommand.BestAvailable(null, event.id(), 8, "A", 1, 1,
                null, T0, T0.plus(HOLD))).reservation();
        store.expireHolds(T0.plus(HOLD), 10);
        Reservation now = store.findReservation(stale.id()).orElseThrow();
        assertEquals(ReservationStatus.HELD, now.status());
        assertEquals(late.plus(HOLD), now.expiresAt(), "it lasts until the hold listed before it");
        assertEquals(2, store.expireHolds(late.plus(HOLD), 10).size());
    }
}
