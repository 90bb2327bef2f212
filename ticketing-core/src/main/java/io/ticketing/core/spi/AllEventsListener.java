package io.ticketing.core.spi;

import io.ticketing.core.model.EventStatistics;

/**
 * Receives every event's snapshots and listing changes, from every node: what a view of all public events
 * (a lobby) needs. Called on a broadcaster thread or the publishing thread, possibly on several at once;
 * snapshots of one event may arrive twice or out of order across nodes, so a listener keeps the highest
 * {@code version} it has seen. Must not block.
 */
public interface AllEventsListener {
    /** A snapshot of any event: a change of its seats or status, or its creation. */
    void onStatistics(EventStatistics statistics);

    /**
     * The event's place in public lists may have changed without a snapshot (its {@code active} flag was
     * set): the listener re-reads the event from the store.
     */
    void onListingChanged(long eventId);

    /**
     * Snapshots or listing changes may have been lost (a cross-node transport reconnected): the listener
     * re-reads what it shows from the store. Default: nothing.
     */
    default void onGap() {
    }
}
