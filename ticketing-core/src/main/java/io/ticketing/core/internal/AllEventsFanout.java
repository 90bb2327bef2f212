package io.ticketing.core.internal;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.spi.AllEventsListener;
import io.ticketing.core.spi.Subscription;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's {@link AllEventsListener}s. Each call reaches every listener on the calling thread (they must
 * not block); with no listener it costs one emptiness check. A listener that throws is logged and the
 * others are still called. Thread-safe.
 */
public final class AllEventsFanout {
    private static final Logger log = LoggerFactory.getLogger(AllEventsFanout.class);
    private final Set<AllEventsListener> listeners = new CopyOnWriteArraySet<>();

    public Subscription subscribe(AllEventsListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void statistics(EventStatistics statistics) {
        each(l -> l.onStatistics(statistics));
    }

    public void listingChanged(long eventId) {
        each(l -> l.onListingChanged(eventId));
    }

    /** Tells every listener that snapshots or listing changes may have been lost. */
    public void gap() {
        each(AllEventsListener::onGap);
    }

    private void each(Consumer<AllEventsListener> call) {
        if (listeners.isEmpty()) {
            return;
        }
        for (AllEventsListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("A listener of all events failed; the others are still called", e);
            }
        }
    }
}
