package io.ticketing.servlet.internal;

import io.ticketing.core.internal.LatestSlot;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A share of one event's streams that one writer thread serves at a time. {@link #wake} only schedules a
 * pass if none is scheduled; the pass tells each stream which release its event's slot holds, and each
 * stream writes the newest release it can. So a burst of updates costs one pass, and the caller never
 * waits for a write.
 */
final class FanoutStripe implements Runnable {
    private final Set<EventSubscription> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final LatestSlot<EncodedUpdate> latest;
    private final Executor writers;

    FanoutStripe(LatestSlot<EncodedUpdate> latest, Executor writers) {
        this.latest = latest;
        this.writers = writers;
    }

    void add(EventSubscription connection) {
        connections.add(connection);
    }

    boolean remove(EventSubscription connection) {
        return connections.remove(connection);
    }

    int size() {
        return connections.size();
    }

    /** Has every stream of this stripe catch up with the slot soon, on a writer thread. Never blocks. */
    void wake() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                writers.execute(this);
            } catch (RejectedExecutionException shuttingDown) {
                scheduled.set(false); // the hub is closing every stream
            }
        }
    }

    @Override
    public void run() {
        scheduled.set(false); // first, so that a wake-up from here on schedules another pass
        EncodedUpdate update = latest.get();
        if (update != null) {
            for (EventSubscription connection : connections) {
                connection.updated(update.sequence());
            }
        }
    }
}
