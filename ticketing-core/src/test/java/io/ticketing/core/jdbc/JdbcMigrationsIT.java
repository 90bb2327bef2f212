package io.ticketing.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.Event;
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
        assertTrue(e.getMessage().contains("version 0"), e.getMessage());
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
        Migrations.Script v1 = Migrations.SCRIPTS.get(0);
        String s = db.schema();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE SCHEMA " + s);
            st.execute("CREATE TABLE " + s + ".schema_version (version integer PRIMARY KEY, description text NOT NULL, "
                    + "checksum bigint NOT NULL, installed_at timestamptz NOT NULL DEFAULT now())");
            st.execute("SET LOCAL search_path TO " + s);
            st.execute(v1.sql());
            st.execute("INSERT INTO " + s + ".schema_version (version, description, checksum) VALUES (1, '"
                    + v1.description() + "', " + v1.checksum() + ")");
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        JdbcTicketStore store = db.newStore();
        assertEquals(Migrations.LATEST, db.queryLong("SELECT max(version) FROM " + s + ".schema_version"));
        Instant t0 = Instant.parse("2026-11-22T14:00:00Z");
        Event event = store.createEvent(new NewEvent(Drafts.available("upgraded", 1, 2), 1, t0));
        ReservationChange change = store.reserve(new ReserveCommand("r-upgraded", event.id(), 7, null, "A", 1, 2, null,
                t0, t0.plusSeconds(60)));
        assertEquals(2, change.statistics().allocatedTickets());
    }

    @Test
    void aMigrationChangedAfterItWasAppliedStopsTheStart() {
        db.newStore();
        db.execute("UPDATE " + db.schema() + ".schema_version SET checksum = checksum + 1 WHERE version = 1");
        IllegalStateException e = assertThrows(IllegalStateException.class, db::newStore);
        assertTrue(e.getMessage().contains("was changed after it was applied"), e.getMessage());
    }
}
