package io.ticketing.servlet.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A share of one event's streams that one writer thread serves at a time. Publishing only records the
 * newest snapshot and schedules the stripe if it is not scheduled yet, so a burst of updates costs one
 * pass over the streams with the newest of them, and the publisher never waits for a write.
 */
final class FanoutStripe implements Runnable {
    private final Set<SseConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicReference<EncodedSnapshot> next = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor writers;

    FanoutStripe(Executor writers) {
        this.writers = writers;
    }

    void add(SseConnection connection) {
        connections.add(connection);
    }

    boolean remove(SseConnection connection) {
        return connections.remove(connection);
    }

    int size() {
        return connections.size();
    }

    /** Offers {@code snapshot} to every stream of this stripe soon, on a writer thread. Never blocks. */
    void publish(EncodedSnapshot snapshot) {
        next.accumulateAndGet(snapshot, EncodedSnapshot::newer);
        if (scheduled.compareAndSet(false, true)) {
            try {
                writers.execute(this);
            } catch (RejectedExecutionException shuttingDown) {
                scheduled.set(false); // the hub is closing every stream
            }
        }
    }

    @Override
    public void run() {
        scheduled.set(false); // first, so that a snapshot published from here on schedules another pass
        EncodedSnapshot snapshot = next.getAndSet(null);
        if (snapshot != null) {
            for (SseConnection connection : connections) {
                connection.offer(snapshot);
            }
        }
    }
}
