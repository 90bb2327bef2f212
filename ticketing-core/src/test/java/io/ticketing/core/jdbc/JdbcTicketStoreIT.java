package io.ticketing.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.spi.TicketStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's TicketStore contract, unchanged, against PostgreSQL: every test starts on empty tables. Plus:
 * explicit seats are found by a {@code seat_id} computed from the seating, so a seat outside it must not
 * hit the seat that id belongs to.
 */
class JdbcTicketStoreIT extends TicketStoreContract {
    private static TestDatabase db;

    @BeforeAll
    static void createSchema() {
        db = TestDatabase.create("contract", 8);
    }

    @AfterAll
    static void dropSchema() {
        db.close();
    }

    @Override
    protected TicketStore newStore() {
        JdbcTicketStore store = db.newStore();
        db.truncate();
        return store;
    }

    @Test
    void reservingASeatOutsideTheSeatingHoldsNothing() {
        Event e = gala(); // 3 rows of 4 seats per subsection: row 4 and seat 5 would be the next seats in line
        assertCode(ErrorCode.SEATS_UNAVAILABLE, () -> reserve(e.id(), 7, T0, seat("A", 1, 4, 1)));
        assertCode(ErrorCode.SEATS_UNAVAILABLE, () -> reserve(e.id(), 7, T0, seat("A", 1, 1, 5)));
        assertEquals(SeatStatus.AVAILABLE, statusOf(e.id(), seat("A", 2, 1, 1)));
        assertEquals(SeatStatus.AVAILABLE, statusOf(e.id(), seat("A", 1, 2, 1)));
        assertEquals(1, stats(e.id()).version());
    }
}
