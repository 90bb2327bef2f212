package io.ticketing.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.Ticketing;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Best available in PostgreSQL ({@code reserve_best_seats} over {@code seat_rows}) under a buyer's everyday
 * loop: hold 1 to 3 seats, then confirm and refund or cancel. Seats freed keep being the best ones, so the
 * next hold chooses seats that were freed while it waited for the subsection's lock.
 */
class JdbcSeatRowsIT {
    private static final int BUYERS = 6;
    private static final int ROUNDS_PER_BUYER = 150;

    private TestDatabase db;

    @BeforeEach
    void freshSchema() {
        db = TestDatabase.create("seat_rows", BUYERS + 2);
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }

    @Test
    void holdsConfirmsRefundsAndCancelsOneAtATimeKeepSeatRowsTrue() {
        try (Ticketing ticketing = Ticketing.builder().store(db.newStore()).build()) {
            long id = rushEvent(ticketing);
            for (int i = 0; i < 40; i++) {
                User buyer = User.buyer(100 + i % BUYERS);
                String rid = ticketing.reservations().reserve(id,
                        ReservationRequest.bestAvailable("A", 1, 1 + i % 3), null, buyer).reservation().id();
                db.assertConsistent();
                if (i % 4 == 0) {
                    ticketing.reservations().confirm(rid, "pay-" + i, buyer);
                    db.assertConsistent();
                }
                ticketing.reservations().cancel(rid, buyer);
                db.assertConsistent();
            }
        }
    }

    /**
     * At most 18 of the subsection's 500 seats are ever held, so every hold must succeed: a hold that waited
     * for the subsection's lock while another buyer freed the best seats must still hold those seats.
     */
    @Test
    void buyersRacingInOneSubsectionAlwaysGetTheirSeats() throws Exception {
        try (Ticketing ticketing = Ticketing.builder().store(db.newStore()).build()) {
            long id = rushEvent(ticketing);
            AtomicBoolean failed = new AtomicBoolean();
            ExecutorService buyers = Executors.newFixedThreadPool(BUYERS);
            List<Future<?>> runs = new ArrayList<>();
            try {
                for (int t = 0; t < BUYERS; t++) {
                    User buyer = User.buyer(100 + t);
                    int quantity = 1 + t % 3;
                    runs.add(buyers.submit(() -> {
                        try {
                            for (int i = 0; i < ROUNDS_PER_BUYER && !failed.get(); i++) {
                                String rid = ticketing.reservations().reserve(id,
                                        ReservationRequest.bestAvailable("A", 1, quantity), null, buyer)
                                        .reservation().id();
                                if (i % 4 == 0) {
                                    ticketing.reservations().confirm(rid, "pay-" + i, buyer);
                                }
                                ticketing.reservations().cancel(rid, buyer); // a refund, if confirmed
                            }
                            return null;
                        } catch (RuntimeException e) {
                            failed.set(true);
                            throw e;
                        }
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(120, TimeUnit.SECONDS);
                }
            } finally {
                failed.set(true);
                buyers.shutdown();
                assertTrue(buyers.awaitTermination(60, TimeUnit.SECONDS));
            }
            db.assertConsistent();
        }
    }

    /** 25 rows of 20 seats in each of section A's two subsections, on sale. */
    private static long rushEvent(Ticketing ticketing) {
        return ticketing.events().create(User.seller(3), new EventDraft("rush", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(25, 20, List.of(new Section("A", 1000, 2))))).id();
    }
}
