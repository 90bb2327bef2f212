package io.ticketing.core.memory;

import io.ticketing.core.spi.ChangeHistoryContract;
import io.ticketing.core.spi.TicketStore;

class InMemoryChangeHistoryTest extends ChangeHistoryContract {
    @Override
    protected TicketStore newStore(int changeLogSize) {
        return InMemoryTicketStore.builder().changeLogSize(changeLogSize).build();
    }
}
