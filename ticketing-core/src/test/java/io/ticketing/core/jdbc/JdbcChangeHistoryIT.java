package io.ticketing.core.jdbc;

import io.ticketing.core.spi.ChangeHistoryContract;
import io.ticketing.core.spi.TicketStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The change log contract against PostgreSQL; pruning is the store's maintenance ({@code forgetEnded}). */
class JdbcChangeHistoryIT extends ChangeHistoryContract {
    private static TestDatabase db;

    @BeforeAll
    static void createSchema() {
        db = TestDatabase.create("history", 4);
    }

    @AfterAll
    static void dropSchema() {
        db.close();
    }

    @Override
    protected TicketStore newStore(int changeLogSize) {
        JdbcTicketStore store = db.newStore(changeLogSize, Duration.ofDays(1));
        db.truncate();
        return store;
    }
}
