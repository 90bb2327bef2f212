package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.StatisticsService;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's fan-out for one event: subscribed to the event's statistics while it has streams, it
 * serialises every snapshot once and offers the same bytes to each stream. {@link #onStatistics} costs
 * one serialisation plus an O(1) offer per stream, never blocks, and is called by one broadcaster thread
 * at a time. Once its last stream leaves it unsubscribes and is retired for good.
 */
final class EventDispatcher implements StatisticsListener {
    private final long eventId;
    private final ObjectMapper mapper;
    private final Set<SseConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicReference<EncodedSnapshot> latest = new AtomicReference<>();
    private Subscription subscription; // guarded by this
    private boolean retired; // guarded by this

    EventDispatcher(long eventId, ObjectMapper mapper) {
        this.eventId = eventId;
        this.mapper = mapper;
    }

    /** Adds a stream, subscribing on the first; false if this dispatcher is retired (use a new one). */
    synchronized boolean add(SseConnection connection, StatisticsService statistics) {
        if (retired) {
            return false;
        }
        connections.add(connection);
        if (subscription == null) {
            subscription = statistics.subscribe(eventId, this);
        }
        return true;
    }

    /** Removes a stream; returns true if that retired this dispatcher (it had no other stream). */
    synchronized boolean remove(SseConnection connection) {
        if (!connections.remove(connection) || !connections.isEmpty() || retired) {
            return false;
        }
        retire();
        return true;
    }

    /** Unsubscribes and refuses new streams. */
    synchronized void retire() {
        retired = true;
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    int size() {
        return connections.size();
    }

    @Override
    public void onStatistics(EventStatistics statistics) {
        EncodedSnapshot snapshot = encode(statistics);
        for (SseConnection connection : connections) {
            connection.offer(snapshot);
        }
    }

    /**
     * The encoded form of a snapshot read from the store for a new stream: the shared one if this
     * dispatcher already has that version or a newer one, else a fresh encoding that later streams share.
     */
    EncodedSnapshot encodeCurrent(EventStatistics current) {
        EncodedSnapshot known = latest.get();
        return known != null && known.version() >= current.version() ? known : encode(current);
    }

    /** Serialises a snapshot, or reuses the cached encoding of the same version (equal versions are equal). */
    private EncodedSnapshot encode(EventStatistics statistics) {
        EncodedSnapshot known = latest.get();
        if (known != null && known.version() == statistics.version()) {
            return known;
        }
        EncodedSnapshot fresh = EncodedSnapshot.of(statistics, mapper);
        latest.accumulateAndGet(fresh, EncodedSnapshot::newer);
        return fresh;
    }
}
