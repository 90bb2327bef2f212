package io.ticketing.core.jdbc;

import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.spi.TicketStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The core's TicketStore contract, unchanged, against PostgreSQL: every test starts on empty tables. */
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
}
