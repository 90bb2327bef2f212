package io.ticketing.core.redis;

import io.ticketing.core.internal.LatestSlot;
import io.ticketing.core.internal.SnapshotUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The snapshots (with their seat changes) waiting to be sent to Redis: at most one per event, in a {@link LatestSlot} (a newer one
 * replaces an unsent older one) and at most {@code capacity} events, taken out oldest event first.
 * {@link #offer} is O(1) and never blocks; any number of threads may offer while one consumer takes.
 *
 * <p>Invariant: an event id is in {@code order} exactly when it has a slot in {@code latest} (except
 * briefly while the consumer is between polling the id and removing the slot). A slot is created, offered
 * to and removed only inside the map's per-key operations, so no offer lands in a slot already taken.
 */
final class PendingSnapshots {
    private final ConcurrentHashMap<Long, LatestSlot<SnapshotUpdate>> latest = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<Long> order;
    private final AtomicLong dropped = new AtomicLong();

    PendingSnapshots(int capacity) {
        this.order = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Parks the snapshot until it is taken, replacing an older pending one of the same event.
     *
     * @return false if it was dropped because {@code capacity} other events are already waiting
     */
    boolean offer(SnapshotUpdate update) {
        boolean[] full = {false};
        latest.compute(update.eventId(), (id, slot) -> {
            if (slot == null) {
                if (!order.offer(id)) {
                    full[0] = true;
                    return null;
                }
                slot = new LatestSlot<>(SnapshotUpdate::version);
            }
            slot.offer(update);
            return slot;
        });
        if (full[0]) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Waits up to {@code timeout} for a first pending snapshot, then takes it and up to {@code max - 1} more
     * without waiting, oldest event first. Empty if none came in time.
     */
    List<SnapshotUpdate> take(int max, long timeout, TimeUnit unit) throws InterruptedException {
        Long first = order.poll(timeout, unit);
        if (first == null) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>(Math.min(max, order.size() + 1));
        ids.add(first);
        order.drainTo(ids, max - 1);
        List<SnapshotUpdate> batch = new ArrayList<>(ids.size());
        for (Long id : ids) {
            LatestSlot<SnapshotUpdate> slot = latest.remove(id);
            if (slot != null) {
                batch.add(slot.get());
            }
        }
        return batch;
    }

    /** How many events have a snapshot waiting. */
    int size() {
        return latest.size();
    }

    /** How many snapshots {@link #offer} has refused since creation. */
    long dropped() {
        return dropped.get();
    }
}
