package io.ticketing.core.redis;

import io.ticketing.core.internal.SnapshotUpdate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The snapshots (with their seat changes) waiting to be sent to Redis: every one of an event, in version
 * order, so that other nodes can apply each change's seats; events are taken out oldest event first.
 * Bounded three ways: at most {@code maxEvents} events wait (a snapshot of one more is refused and counted),
 * at most {@code maxPerEvent} snapshots of one event, and at most {@code maxSnapshots} in all (or one per
 * waiting event, if that is more: an event keeps at least its newest); past either of the last two, an
 * offer drops its event's oldest waiting snapshot, so other nodes see a gap in that event's versions (and
 * re-read) instead of this node growing; every snapshot refused or dropped is counted ({@link #dropped}).
 * {@link #offer} is O(1) for a snapshot newer or older than all of its event's waiting ones (one in between
 * is placed by a scan from the newest) and never blocks; any number of threads may offer while one consumer
 * takes.
 *
 * <p>Invariant: an event id is in {@code order} exactly when it has a queue in {@code waiting} (except
 * briefly while the consumer is between polling the id and removing the queue). A queue is created, offered
 * to and removed only inside the map's per-key operations, so no offer lands in a queue already taken.
 */
final class PendingSnapshots {
    private final ConcurrentHashMap<Long, ArrayDeque<SnapshotUpdate>> waiting = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<Long> order;
    private final int maxPerEvent;
    private final int maxSnapshots;
    /** Snapshots in all queues; may briefly exceed {@code maxSnapshots} by the offers in progress. */
    private final AtomicInteger snapshots = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    PendingSnapshots(int maxEvents, int maxPerEvent, int maxSnapshots) {
        this.order = new ArrayBlockingQueue<>(maxEvents);
        this.maxPerEvent = maxPerEvent;
        this.maxSnapshots = maxSnapshots;
    }

    /**
     * Parks the snapshot, in version order among its event's, until it is taken; one whose version is
     * already waiting is ignored.
     *
     * @return false if it, or its event's oldest waiting snapshot to make room, was dropped
     */
    boolean offer(SnapshotUpdate update) {
        boolean[] kept = {true};
        waiting.compute(update.eventId(), (id, queue) -> {
            if (queue == null) {
                if (!order.offer(id)) {
                    kept[0] = false;
                    return null;
                }
                queue = new ArrayDeque<>(4);
            }
            kept[0] = add(queue, update);
            return queue;
        });
        if (!kept[0]) {
            dropped.incrementAndGet();
        }
        return kept[0];
    }

    /**
     * Offers a batch taken earlier back (its send failed): its events in their order, each event's snapshots
     * ahead of any newer ones that arrived meanwhile.
     */
    void putBack(List<SnapshotUpdate> batch) {
        int start = 0;
        while (start < batch.size()) {
            long eventId = batch.get(start).eventId();
            int end = start;
            while (end < batch.size() && batch.get(end).eventId() == eventId) {
                end++;
            }
            for (int k = end - 1; k >= start; k--) { // newest first: each goes to the front in O(1)
                offer(batch.get(k));
            }
            start = end;
        }
    }

    /**
     * Inserts in version order, then drops the event's oldest if over a bound; false if that happened. Runs
     * under the key's lock.
     */
    private boolean add(ArrayDeque<SnapshotUpdate> queue, SnapshotUpdate update) {
        if (queue.isEmpty() || queue.peekLast().version() < update.version()) {
            queue.addLast(update);
        } else if (queue.peekFirst().version() > update.version()) {
            queue.addFirst(update);
        } else if (!insertBetween(queue, update)) {
            return true; // already waiting
        }
        int total = snapshots.incrementAndGet();
        if (queue.size() > 1 && (queue.size() > maxPerEvent || total > maxSnapshots)) {
            queue.pollFirst();
            snapshots.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Places a snapshot among its event's; false if its version is already there. */
    private static boolean insertBetween(ArrayDeque<SnapshotUpdate> queue, SnapshotUpdate update) {
        List<SnapshotUpdate> newer = new ArrayList<>();
        for (Iterator<SnapshotUpdate> it = queue.descendingIterator(); it.hasNext(); ) {
            SnapshotUpdate u = it.next();
            if (u.version() == update.version()) {
                return false;
            }
            if (u.version() < update.version()) {
                break;
            }
            newer.add(u);
        }
        for (int k = 0; k < newer.size(); k++) {
            queue.pollLast();
        }
        queue.addLast(update);
        for (int k = newer.size() - 1; k >= 0; k--) {
            queue.addLast(newer.get(k));
        }
        return true;
    }

    /**
     * Waits up to {@code timeout} for a first pending snapshot, then takes whole events, oldest event first,
     * each with all its snapshots in version order, until at least {@code max} snapshots are taken or none is
     * left. Empty if none came in time.
     */
    List<SnapshotUpdate> take(int max, long timeout, TimeUnit unit) throws InterruptedException {
        Long next = order.poll(timeout, unit);
        List<SnapshotUpdate> batch = new ArrayList<>();
        while (next != null) {
            ArrayDeque<SnapshotUpdate> queue = waiting.remove(next);
            if (queue != null) {
                snapshots.addAndGet(-queue.size());
                batch.addAll(queue);
            }
            next = batch.size() < max ? order.poll() : null;
        }
        return batch;
    }

    /** How many events have a snapshot waiting. */
    int size() {
        return waiting.size();
    }

    /** How many snapshots wait, over all events. */
    int snapshots() {
        return snapshots.get();
    }

    /** How many snapshots {@link #offer} has refused or dropped since creation. */
    long dropped() {
        return dropped.get();
    }
}
