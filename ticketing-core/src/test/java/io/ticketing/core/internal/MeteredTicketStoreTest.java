package io.ticketing.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.TicketingException;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.metrics.CallOutcome;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.metrics.StoreOperation;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.testing.ForwardingTicketStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MeteredTicketStoreTest {
    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private final MetricsTracker tracker = new MetricsTracker() {
        @Override
        public void storeCall(StoreOperation operation, CallOutcome outcome, long nanos) {
            assertTrue(nanos >= 0);
            recorded.add(operation.tag() + "/" + outcome.tag());
        }
    };

    @Test
    void everyInstanceMethodOfTheSpiIsForwardedNotLeftToItsDefault() {
        List<String> missing = new ArrayList<>();
        for (Method m : TicketStore.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                MeteredTicketStore.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.toString());
            }
        }
        assertEquals(List.of(), missing, "a default left in place would bypass the wrapped store's own version");
    }

    @Test
    void callsAreTimedWithTheirOperationAndOutcome() {
        TicketStore failing = new ForwardingTicketStore(new InMemoryTicketStore()) {
            @Override
            public Optional<io.ticketing.core.model.Reservation> findReservation(String reservationId) {
                throw new IllegalStateException("backend down");
            }
        };
        MeteredTicketStore store = new MeteredTicketStore(failing, tracker);

        assertEquals(Optional.empty(), store.findEvent(42));
        assertThrows(TicketingException.class, () -> store.cancel("r-none", Instant.now()));
        assertThrows(IllegalStateException.class, () -> store.findReservation("r-1"));
        assertEquals(0, store.forgetEnded(Instant.now()));

        assertEquals(List.of("findEvent/ok", "cancel/refused", "findReservation/error", "forgetEnded/ok"), recorded);
    }
}
