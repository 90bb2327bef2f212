package io.ticketing.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SubsectionStatistics;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.testing.Drafts;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Migrations: applied once under an advisory lock, recorded, skippable, and guarded against edits. */
class JdbcMigrationsIT {
    private TestDatabase db;

    @BeforeEach
    void freshSchema() {
        db = TestDatabase.create("migrations", 6);
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }

    @Test
    void nodesStartingTogetherApplyEachMigrationOnce() throws Exception {
        int nodes = 4;
        CyclicBarrier start = new CyclicBarrier(nodes);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<JdbcTicketStore>> started = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                started.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return db.newStore();
                }));
            }
            for (Future<JdbcTicketStore> store : started) {
                assertTrue(store.get(60, TimeUnit.SECONDS).isHealthy());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Migrations.SCRIPTS.size(), db.queryLong("SELECT count(*) FROM " + db.schema() + ".schema_version"));
        assertEquals(Migrations.LATEST, db.queryLong("SELECT max(version) FROM " + db.schema() + ".schema_version"));
    }

    @Test
    void withMigrationsOffAnUnpreparedSchemaIsRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JdbcTicketStore.builder(db.dataSource()).schema(db.schema()).migrate(false).build());
        assertTrue(e.getMessage().contains("schema " + db.schema()), e.getMessage());
        assertTrue(e.getMessage().contains("lacks the migrations [1, 2, "), e.getMessage());
    }

    @Test
    void withMigrationsOffASchemaMissingAMiddleMigrationIsRefusedAlthoughItHasTheLatest() {
        db.newStore();
        db.execute("DELETE FROM " + db.schema() + ".schema_version WHERE version = 10");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JdbcTicketStore.builder(db.dataSource()).schema(db.schema()).migrate(false).build());
        assertTrue(e.getMessage().contains("lacks the migrations [10]"), e.getMessage());
    }

    @Test
    void withMigrationsOffAPreparedSchemaIsUsedAsItIs() {
        db.newStore();
        JdbcTicketStore store = JdbcTicketStore.builder(db.dataSource()).schema(db.schema()).migrate(false).build();
        assertEquals(db.schema(), store.schema());
        assertTrue(store.findEvent(1).isEmpty());
    }

    @Test
    void aSchemaAtAnOlderVersionIsUpgradedInPlace() {
        String s = db.schema();
        migrateTo(1);
        JdbcTicketStore store = db.newStore();
        assertEquals(Migrations.LATEST, db.queryLong("SELECT max(version) FROM " + s + ".schema_version"));
        Instant t0 = Instant.parse("2026-11-22T14:00:00Z");
        Event event = store.createEvent(new NewEvent(Drafts.available("upgraded", 1, 2), 1, t0));
        ReservationChange change = store.reserve(new ReserveCommand.BestAvailable("r-upgraded", event.id(), 7,
                "A", 1, 2, null, t0, t0.plusSeconds(60)));
        assertEquals(2, change.statistics().allocatedTickets());
    }

    @Test
    void anEventOfVersion6KeepsItsStatisticsThroughVersion7() {
        String s = db.schema();
        migrateTo(6);
        // Two subsections of 2 × 2 seats: A/1 has seat 1 reserved and seat 2 sold, A/2 has seat 5 sold.
        db.execute("INSERT INTO " + s + ".events (id, name, seller_id, status, active, seating_config, total_tickets, "
                + "remaining, allocated, confirmed, version, last_event_type, last_event_actor, last_event_seats, "
                + "last_event_at, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES (41, 'old', 1, 'available', true, "
                + "'{\"rows\": 2, \"cols\": 2, \"sections\": [{\"name\": \"A\", \"price\": 1000, "
                + "\"subsections\": 2}]}', 8, 5, 1, 2, 4, 'ticket.confirmed', 'buyer:7', 1, now(), now(), now())");
        db.execute("INSERT INTO " + s + ".subsection_counters VALUES (41, 0, 'A', 1, 1000, 4, 2, 1, 1), "
                + "(41, 1, 'A', 2, 1000, 4, 3, 0, 1)");
        db.execute("INSERT INTO " + s + ".tickets (event_id, seat_id, section, subsection, row_no, seat_no, price, status) "
                + "SELECT 41, i, 'A', (i - 1) / 4 + 1, (i - 1) % 4 / 2 + 1, (i - 1) % 2 + 1, 1000, "
                + "CASE i WHEN 1 THEN 'reserved' WHEN 2 THEN 'sold' WHEN 5 THEN 'sold' ELSE 'available' END "
                + "FROM generate_series(1, 8) i");
        insertHeldAndSold(41, 1000, 2000);
        db.execute("INSERT INTO " + s + ".reservation_seats VALUES ('held', 1, 1, 'A', 1, 1, 1, 1000), "
                + "('sold', 1, 2, 'A', 1, 1, 2, 1000), ('sold', 2, 5, 'A', 2, 1, 1, 1000)");
        JdbcTicketStore store = db.newStore();
        EventStatistics before = store.statistics(41).orElseThrow();
        assertEquals(4, before.version());
        assertEquals(List.of(new SubsectionStatistics("A", 1, 1000, 4, 2, 1, 1),
                new SubsectionStatistics("A", 2, 1000, 4, 3, 0, 1)), before.sections());
        db.assertConsistent();
        Instant t0 = Instant.parse("2026-11-22T14:00:00Z");
        ReservationChange change = store.reserve(new ReserveCommand.Seats("r-after-v7", 41, 7,
                List.of(new SeatRef("A", 1, 2, 2), new SeatRef("A", 2, 2, 2)), null, t0, t0.plusSeconds(60)));
        assertEquals(5, change.statistics().version());
        assertEquals(List.of(new SubsectionStatistics("A", 1, 1000, 4, 1, 2, 1),
                new SubsectionStatistics("A", 2, 1000, 4, 2, 1, 1)), change.statistics().sections());
        assertEquals(change.statistics(), store.statistics(41).orElseThrow());
        db.assertConsistent();
    }

    @Test
    void seatRowsKeptByVersion11sTriggerStayTrueThroughVersion12() {
        String s = db.schema();
        migrateTo(11);
        // One subsection of 2 rows × 4 seats, made as the V11 store makes it; then, as V11's statements do,
        // a hold of seat 1-2 and a sale of seat 1-3, whose seat_rows V11's trigger keeps: row 1 is ".xx.".
        db.execute("INSERT INTO " + s + ".events (id, name, seller_id, status, active, seating_config, total_tickets, "
                + "remaining, allocated, confirmed, sub_remaining, sub_allocated, sub_confirmed, version, last_event_type, "
                + "last_event_actor, last_event_seats, last_event_at, created_at, updated_at) OVERRIDING SYSTEM VALUE "
                + "VALUES (51, 'v11', 1, 'available', true, '{\"rows\": 2, \"cols\": 4, \"sections\": [{\"name\": \"A\", "
                + "\"price\": 1000, \"subsections\": 1}]}', 8, 8, 0, 0, '{8}', '{0}', '{0}', 1, 'event.created', "
                + "'seller:1', 0, now(), now(), now())");
        db.execute("INSERT INTO " + s + ".subsection_counters VALUES (51, 0, 'A', 1, 1000, 8)");
        db.execute("INSERT INTO " + s + ".tickets (event_id, seat_id, section, subsection, row_no, seat_no, price) "
                + "SELECT 51, i, 'A', 1, (i - 1) / 4 + 1, (i - 1) % 4 + 1, 1000 FROM generate_series(1, 8) i");
        db.execute("INSERT INTO " + s + ".seat_rows SELECT 51, 'A', 1, r, (r - 1) * 4 + 1, B'1111', "
                + s + ".row_mask(B'1111'), true FROM generate_series(1, 2) r");
        insertHeldAndSold(51, 1000, 1000);
        db.execute("INSERT INTO " + s + ".reservation_seats VALUES ('held', 1, 2, 'A', 1, 1, 2, 1000), "
                + "('sold', 1, 3, 'A', 1, 1, 3, 1000)");
        db.execute("INSERT INTO " + s + ".buyer_seats VALUES (51, 7, 2)");
        db.execute("UPDATE " + s + ".tickets SET status = CASE seat_id WHEN 2 THEN 'reserved' ELSE 'sold' END "
                + "WHERE event_id = 51 AND seat_id IN (2, 3)");
        db.execute("UPDATE " + s + ".events SET remaining = 6, allocated = 1, confirmed = 1, sub_remaining = '{6}', "
                + "sub_allocated = '{1}', sub_confirmed = '{1}', version = 3 WHERE id = 51");
        assertEquals(1, db.queryLong("SELECT count(*) FROM " + s + ".seat_rows WHERE event_id = 51 AND row_no = 1 "
                + "AND free = B'1001'"), "V11's trigger keeps seat_rows");

        JdbcTicketStore store = db.newStore();
        assertEquals(Migrations.LATEST, db.queryLong("SELECT max(version) FROM " + s + ".schema_version"));
        db.assertConsistent();
        Instant t0 = Instant.parse("2026-12-05T14:00:00Z");
        // Row 1 has no pair: row 2's seats 1-2 (seats 3-4 rank equal; the lower wins).
        assertEquals(List.of(new SeatRef("A", 1, 2, 1), new SeatRef("A", 1, 2, 2)), seats(store.reserve(
                new ReserveCommand.BestAvailable("pair", 51, 8, "A", 1, 2, null, t0, t0.plusSeconds(60)))));
        db.assertConsistent();
        store.cancel("held", t0); // the hold made under V11: row 1 becomes "..x."
        db.assertConsistent();
        // Row 1's single seat 4 strands nothing, where seat 1 or 2 would strand the other.
        assertEquals(List.of(new SeatRef("A", 1, 1, 4)), seats(store.reserve(
                new ReserveCommand.BestAvailable("single", 51, 8, "A", 1, 1, null, t0, t0.plusSeconds(60)))));
        db.assertConsistent();
        store.confirm("single", "pay", t0);
        db.assertConsistent();
    }

    @Test
    void seatRowsOfVersion12WithLiveHoldsRankTheSameThroughVersion13() {
        String s = db.schema();
        JdbcTicketStore store = upgradeWithLiveHolds(12, 13, 52);
        // fits: bit q - 1 for a quantity q of 1..4 that the row gives without stranding a seat.
        assertEquals(1, db.queryLong("SELECT fits FROM " + s + ".seat_rows WHERE event_id = 52 AND row_no = 1"));
        assertEquals(0b1011, db.queryLong("SELECT fits FROM " + s + ".seat_rows WHERE event_id = 52 AND row_no = 2"));
        Instant t0 = Instant.parse("2026-12-06T01:00:00Z");
        // Row 1's single seats strand nothing; seats 1 and 4 are equally near the middle: the lower.
        assertEquals(List.of(new SeatRef("A", 1, 1, 1)), seats(store.reserve(
                new ReserveCommand.BestAvailable("single", 52, 8, "A", 1, 1, null, t0, t0.plusSeconds(60)))));
        db.assertConsistent();
        // Row 1 has no pair: row 2's seats 1-2 (seats 3-4 rank equal; the middle pair would strand two).
        assertEquals(List.of(new SeatRef("A", 1, 2, 1), new SeatRef("A", 1, 2, 2)), seats(store.reserve(
                new ReserveCommand.BestAvailable("pair", 52, 8, "A", 1, 2, null, t0, t0.plusSeconds(60)))));
        db.assertConsistent();
        store.cancel("held", t0); // the hold made under V12: row 1 becomes "x.x."
        db.assertConsistent();
        // Seat 2 is nearer the middle than seat 4.
        assertEquals(List.of(new SeatRef("A", 1, 1, 2)), seats(store.reserve(
                new ReserveCommand.BestAvailable("again", 52, 8, "A", 1, 1, null, t0, t0.plusSeconds(60)))));
        store.confirm("again", "pay", t0);
        db.assertConsistent();
    }

    @Test
    void seatRowsOfVersion13WithLiveHoldsStayTrueThroughVersion14() {
        JdbcTicketStore store = upgradeWithLiveHolds(13, 14, 53);
        Instant t0 = Instant.parse("2026-12-06T03:00:00Z");
        // Each best-available hold now keeps its seat row itself: row 1 becomes "xxx.", then row 2 "xx..".
        assertEquals(List.of(new SeatRef("A", 1, 1, 1)), seats(store.reserve(
                new ReserveCommand.BestAvailable("single", 53, 8, "A", 1, 1, null, t0, t0.plusSeconds(60)))));
        db.assertConsistent();
        assertEquals(List.of(new SeatRef("A", 1, 2, 1), new SeatRef("A", 1, 2, 2)), seats(store.reserve(
                new ReserveCommand.BestAvailable("pair", 53, 8, "A", 1, 2, null, t0, t0.plusSeconds(60)))));
        db.assertConsistent();
        store.cancel("held", t0); // the hold made under V13, released by record_seat_change: row 1 is "x.x."
        db.assertConsistent();
        // No row has 3 adjacent seats: separate seats, front row first, nearest the middle; two seat rows change.
        assertEquals(List.of(new SeatRef("A", 1, 1, 2), new SeatRef("A", 1, 1, 4), new SeatRef("A", 1, 2, 3)),
                seats(store.reserve(new ReserveCommand.BestAvailable("three", 53, 9, "A", 1, 3, null, t0,
                        t0.plusSeconds(60)))));
        db.assertConsistent();
        store.confirm("three", "pay", t0);
        store.cancel("pair", t0);
        db.assertConsistent();
    }

    @Test
    void aHoldOfVersion14IsReleasedAndBestAvailableRecordsItsChangeInOneCallThroughVersion15() {
        String s = db.schema();
        JdbcTicketStore store = upgradeWithLiveHolds(14, 15, 54);
        db.execute("UPDATE " + s + ".events SET max_seats_per_buyer = 4 WHERE id = 54");
        Instant t0 = Instant.parse("2026-12-06T19:00:00Z");
        // Buyer 7 has the V14 hold and sale (2 of 4 seats): a pair reaches the cap, one seat more is refused.
        assertEquals(List.of(new SeatRef("A", 1, 2, 1), new SeatRef("A", 1, 2, 2)), seats(store.reserve(
                new ReserveCommand.BestAvailable("pair", 54, 7, "A", 1, 2, null, t0, t0.plusSeconds(60)))));
        db.assertConsistent();
        TicketingException over = assertThrows(TicketingException.class, () -> store.reserve(
                new ReserveCommand.BestAvailable("over", 54, 7, "A", 1, 1, null, t0, t0.plusSeconds(60))));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, over.code());
        db.assertConsistent();
        store.cancel("held", t0); // the hold made under V14, released by record_seat_change: row 1 is "..x."
        db.assertConsistent();
        // Another buyer: seat 4 strands nothing, where seat 1 or 2 would strand the other; the change is logged.
        ReservationChange single = store.reserve(
                new ReserveCommand.BestAvailable("single", 54, 8, "A", 1, 1, null, t0, t0.plusSeconds(60)));
        assertEquals(List.of(new SeatRef("A", 1, 1, 4)), seats(single));
        assertEquals(single.statistics().version(), db.queryLong("SELECT version FROM " + s + ".event_changes "
                + "WHERE event_id = 54 AND type = 'ticket.reserved' AND seat_ids = '{4}' AND status = 'reserved' "
                + "AND actor = 'buyer:8'"));
        db.assertConsistent();
        store.confirm("single", "pay", t0);
        store.cancel("pair", t0);
        db.assertConsistent();
    }

    @Test
    void aHoldOfVersion15IsConfirmedInOneCallAndSeatRowsKeepTheirFitsThroughVersion16() {
        String s = db.schema();
        JdbcTicketStore store = upgradeWithLiveHolds(15, 16, 55);
        assertEquals(1, db.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = '" + s + ".seat_rows'::regclass "
                + "AND attname = 'fits' AND attgenerated = ''"), "fits is a plain column");
        Instant t0 = Instant.parse("2026-12-06T21:00:00Z");
        // The V15 hold (buyer 7, seat 1-2) confirmed by V16's confirm_reservation, its change in the log.
        ReservationChange held = store.confirm("held", "pay", t0);
        assertEquals(List.of(new SubsectionStatistics("A", 1, 1000, 8, 6, 0, 2)), held.statistics().sections());
        assertEquals(held.statistics().version(), db.queryLong("SELECT version FROM " + s + ".event_changes "
                + "WHERE event_id = 55 AND type = 'ticket.confirmed' AND seat_ids = '{2}' AND status = 'sold' "
                + "AND actor = 'buyer:7'"));
        db.assertConsistent();
        // Row 1 is "x..x" free: seats 1 and 4 rank equal, the lower; then row 2's pair: its fits go from
        // quantities 1, 2 and 4 to 2 alone, which assertConsistent compares with the row's bits.
        assertEquals(List.of(new SeatRef("A", 1, 1, 1)), seats(store.reserve(
                new ReserveCommand.BestAvailable("single", 55, 8, "A", 1, 1, null, t0, t0.plusSeconds(60)))));
        db.assertConsistent();
        assertEquals(List.of(new SeatRef("A", 1, 2, 1), new SeatRef("A", 1, 2, 2)), seats(store.reserve(
                new ReserveCommand.BestAvailable("pair", 55, 8, "A", 1, 2, null, t0, t0.plusSeconds(60)))));
        assertEquals(0b0010, db.queryLong("SELECT fits FROM " + s + ".seat_rows WHERE event_id = 55 AND row_no = 2"));
        db.assertConsistent();
        ReservationChange pair = store.confirm("pair", "pay", t0);
        assertEquals(List.of(new SubsectionStatistics("A", 1, 1000, 8, 3, 1, 4)), pair.statistics().sections());
        assertEquals(pair.statistics().version(), db.queryLong("SELECT version FROM " + s + ".event_changes "
                + "WHERE event_id = 55 AND type = 'ticket.confirmed' AND seat_ids = '{5,6}' AND status = 'sold' "
                + "AND actor = 'buyer:8'"));
        store.cancel("single", t0);
        db.assertConsistent();
    }


    @Test
    void aSchemaOfVersion16WithLiveHoldsRanksTheSameThroughVersion18() {
        String s = db.schema();
        JdbcTicketStore store = upgradeWithLiveHolds(16, 18, 56);
        assertEquals(1, db.queryLong("SELECT count(*) FROM " + s + ".schema_version WHERE version = 18"));
        assertEquals(0, db.queryLong("SELECT count(*) FROM " + s + ".schema_version WHERE version = 17"));
        // V18's best_run on the seat rows V16 left: in row 1 ("x..x" free) seats 1 and 4 rank equal, the lower.
        // Three seats: only row 2 ("....") has a run of three; both of its starts strand a seat and are as near
        // the middle, the lower.
        Instant t0 = Instant.parse("2026-12-07T15:00:00Z");
        assertEquals(List.of(new SeatRef("A", 1, 1, 1)), seats(store.reserve(
                new ReserveCommand.BestAvailable("single", 56, 8, "A", 1, 1, null, t0, t0.plusSeconds(60)))));
        db.assertConsistent();
        assertEquals(List.of(new SeatRef("A", 1, 2, 1), new SeatRef("A", 1, 2, 2), new SeatRef("A", 1, 2, 3)),
                seats(store.reserve(new ReserveCommand.BestAvailable("three", 56, 9, "A", 1, 3, null, t0,
                        t0.plusSeconds(60)))));
        db.assertConsistent();
        store.cancel("held", t0); // the V16 hold: row 1 becomes "x.x." taken, seats 2 and 4 free
        // Seat 2 (0-based 1) is nearer the middle of 4 than seat 4.
        assertEquals(List.of(new SeatRef("A", 1, 1, 2)), seats(store.reserve(
                new ReserveCommand.BestAvailable("again", 56, 8, "A", 1, 1, null, t0, t0.plusSeconds(60)))));
        store.confirm("again", "pay", t0);
        db.assertConsistent();
    }
    /**
     * A schema at version {@code from} with one event {@code eventId} of one subsection of 2 rows × 4 seats,
     * as that version's store keeps it, with buyer 7's live hold of seat 1-2 and sale of seat 1-3 (row 1 is
     * ".xx.", row 2 is free), upgraded by a store to the latest version, which must include {@code to}.
     */
    private JdbcTicketStore upgradeWithLiveHolds(int from, int to, long eventId) {
        String s = db.schema();
        migrateTo(from);
        db.execute("INSERT INTO " + s + ".events (id, name, seller_id, status, active, seating_config, total_tickets, "
                + "remaining, allocated, confirmed, sub_remaining, sub_allocated, sub_confirmed, version, last_event_type, "
                + "last_event_actor, last_event_seats, last_event_at, created_at, updated_at) OVERRIDING SYSTEM VALUE "
                + "VALUES (" + eventId + ", 'v" + from + "', 1, 'available', true, '{\"rows\": 2, \"cols\": 4, "
                + "\"sections\": [{\"name\": \"A\", \"price\": 1000, \"subsections\": 1}]}', 8, 6, 1, 1, '{6}', "
                + "'{1}', '{1}', 3, 'ticket.confirmed', 'buyer:7', 1, now(), now(), now())");
        db.execute("INSERT INTO " + s + ".subsection_counters VALUES (" + eventId + ", 0, 'A', 1, 1000, 8)");
        db.execute("INSERT INTO " + s + ".tickets (event_id, seat_id, section, subsection, row_no, seat_no, price, status) "
                + "SELECT " + eventId + ", i, 'A', 1, (i - 1) / 4 + 1, (i - 1) % 4 + 1, 1000, "
                + "CASE i WHEN 2 THEN 'reserved' WHEN 3 THEN 'sold' ELSE 'available' END FROM generate_series(1, 8) i");
        // fits: generated from mask until V15, a plain column that every writer sets from V16
        String fits = from >= 16 ? ", ((" + s + ".row_mask(f) >> 1) & 15)::smallint" : "";
        db.execute("INSERT INTO " + s + ".seat_rows SELECT " + eventId + ", 'A', 1, r, (r - 1) * 4 + 1, f, "
                + s + ".row_mask(f), true" + fits + " FROM (VALUES (1, B'1001'), (2, B'1111')) AS v(r, f)");
        insertHeldAndSold(eventId, 1000, 1000);
        db.execute("INSERT INTO " + s + ".reservation_seats VALUES ('held', 1, 2, 'A', 1, 1, 2, 1000), "
                + "('sold', 1, 3, 'A', 1, 1, 3, 1000)");
        db.execute("INSERT INTO " + s + ".buyer_seats VALUES (" + eventId + ", 7, 2)");

        JdbcTicketStore store = db.newStore();
        assertTrue(Migrations.LATEST >= to, "the latest version is " + Migrations.LATEST);
        assertEquals(Migrations.LATEST, db.queryLong("SELECT max(version) FROM " + s + ".schema_version"));
        db.assertConsistent();
        return store;
    }

    private static List<SeatRef> seats(ReservationChange change) {
        return change.reservation().seats().stream()
                .map(seat -> new SeatRef(seat.section(), seat.subsection(), seat.row(), seat.seat())).toList();
    }

    @Test
    void aMigrationChangedAfterItWasAppliedStopsTheStart() {
        db.newStore();
        db.execute("UPDATE " + db.schema() + ".schema_version SET checksum = checksum + 1 WHERE version = 1");
        IllegalStateException e = assertThrows(IllegalStateException.class, db::newStore);
        assertTrue(e.getMessage().contains("was changed after it was applied"), e.getMessage());
    }

    /** Reservations {@code held} (an hour left) and {@code sold} of buyer 7 in the event, as old stores wrote them. */
    private void insertHeldAndSold(long eventId, long heldPrice, long soldPrice) {
        db.execute("INSERT INTO " + db.schema() + ".reservations (id, event_id, buyer_id, status, total_price, "
                + "expires_at, created_at, updated_at) VALUES ('held', " + eventId + ", 7, 'held', " + heldPrice
                + ", now() + interval '1 hour', now(), now()), ('sold', " + eventId + ", 7, 'confirmed', " + soldPrice
                + ", now(), now(), now())");
    }

    /** Creates the schema at {@code version}, as the store of that version would have. */
    private void migrateTo(int version) {
        String s = db.schema();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE SCHEMA " + s);
            st.execute("CREATE TABLE " + s + ".schema_version (version integer PRIMARY KEY, description text NOT NULL, "
                    + "checksum bigint NOT NULL, installed_at timestamptz NOT NULL DEFAULT now())");
            st.execute("SET LOCAL search_path TO " + s);
            for (Migrations.Script script : Migrations.SCRIPTS.subList(0, version)) {
                st.execute(script.sql());
                st.execute("INSERT INTO " + s + ".schema_version (version, description, checksum) VALUES ("
                        + script.version() + ", '" + script.description() + "', " + script.checksum() + ")");
            }
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
