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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    /** Not store operations: answered by the wrapped store, untimed. */
    private static final Set<String> UNTIMED = Set.of("makesReservationIds", "isHealthy", "close");

    @Test
    void everyStoreOperationIsTimedAndEveryOtherMethodForwarded() {
        List<String> notForwarded = new ArrayList<>();
        List<String> notTimed = new ArrayList<>();
        for (Method m : TicketStore.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Class<?> declaring;
            try {
                declaring = MeteredTicketStore.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
            } catch (NoSuchMethodException e) {
                throw new AssertionError(e);
            }
            if (declaring == TicketStore.class) {
                notForwarded.add(m.getName()); // a default left in place would bypass the wrapped store's own
            } else if (declaring != MeteredTicketStore.class && !UNTIMED.contains(m.getName())) {
                notTimed.add(m.getName()); // a new store operation needs its StoreOperation and an override here
            }
        }
        assertEquals(List.of(), notForwarded, "forward these in ForwardingTicketStore");
        assertEquals(List.of(), notTimed, "give these store operations a StoreOperation constant and a timed "
                + "override in MeteredTicketStore (or list them in UNTIMED if they are not store operations)");
    }

    @Test
    void callsAreTimedWithTheirOperationAndOutcome() {
        TicketStore memory = new InMemoryTicketStore();
        TicketStore failing = (TicketStore) Proxy.newProxyInstance(TicketStore.class.getClassLoader(),
                new Class<?>[] {TicketStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findReservation")) {
                        throw new IllegalStateException("backend down");
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        MeteredTicketStore store = new MeteredTicketStore(failing, tracker);

        assertEquals(Optional.empty(), store.findEvent(42));
        assertThrows(TicketingException.class, () -> store.cancel("r-none", Instant.now()));
        assertThrows(IllegalStateException.class, () -> store.findReservation("r-1"));
        assertEquals(0, store.forgetEnded(Instant.now()));

        assertEquals(List.of("findEvent/ok", "cancel/refused", "findReservation/error", "forgetEnded/ok"), recorded);
    }
}
