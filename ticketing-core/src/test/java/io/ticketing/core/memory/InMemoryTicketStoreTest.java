package io.ticketing.core.memory;

import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.spi.TicketStoreContract;

class InMemoryTicketStoreTest extends TicketStoreContract {
    @Override
    protected TicketStore newStore() {
        return new InMemoryTicketStore();
    }
}
