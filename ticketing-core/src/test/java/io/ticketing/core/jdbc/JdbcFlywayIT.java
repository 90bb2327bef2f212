package io.ticketing.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.User;
import io.ticketing.core.Ticketing;
import io.ticketing.core.testing.Drafts;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A host that runs its own Flyway applies the store's scripts straight from the jar, records them with the
 * callback docs/postgresql.md shows, and builds the store with {@code migrate(false)}.
 */
class JdbcFlywayIT {
    @Test
    void aHostsFlywayAppliesTheScriptsFromTheJarAndTheStoreRunsOnThem() {
        try (TestDatabase db = TestDatabase.create("flyway")) {
            Flyway flyway = Flyway.configure()
                    .dataSource(db.dataSource())
                    .schemas(db.schema()) // created, and the search_path while the scripts run
                    .locations("classpath:io/ticketing/core/jdbc/migrations", "classpath:io/ticketing/core/jdbc/flyway")
                    .load();
            assertEquals(Migrations.SCRIPTS.size(), flyway.migrate().migrationsExecuted);
            try (Ticketing ticketing = Ticketing.builder()
                    .store(JdbcTicketStore.builder(db.dataSource()).schema(db.schema()).migrate(false).build())
                    .build()) {
                long id = ticketing.events().create(User.seller(3), Drafts.gala()).id();
                ticketing.reservations().reserve(id, ReservationRequest.bestAvailable("A", 1, 2), null, User.buyer(7));
                assertEquals(2, ticketing.statistics().current(id, null).allocatedTickets());
            }
            assertEquals(0, flyway.migrate().migrationsExecuted); // nothing left to apply on the next start
        }
    }
}
