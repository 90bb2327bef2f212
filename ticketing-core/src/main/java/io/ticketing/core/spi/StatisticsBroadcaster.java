package io.ticketing.core.spi;

import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.model.SeatChange;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Carries statistics snapshots from the node where a change happened to the subscribers of that event on
 * every node.
 *
 * <p>Delivery is best effort and conflating: a subscriber may miss intermediate snapshots but, once
 * changes stop, eventually receives the newest one, and never receives a snapshot older than one it
 * already got. An implementation that can lose messages (pub/sub over a network) heals by re-reading
 * {@link StatisticsLookup#current} for the events it has subscribers for after it reconnects.
 *
 * <p>{@link #publish} never blocks on network I/O or on subscribers and is safe from any thread.
 */
public interface StatisticsBroadcaster extends AutoCloseable {

    /**
     * Called once by {@code Ticketing} before any other method, with a way to read current statistics.
     */
    default void start(StatisticsLookup lookup) {
    }

    /**
     * What {@code Ticketing} calls instead of {@link #start(StatisticsLookup)}: the same, plus the tracker to
     * report cross-node round trips and pub/sub reconnects to. This default ignores the tracker.
     */
    default void start(StatisticsLookup lookup, MetricsTracker metrics) {
        start(lookup);
    }

    /**
     * Hands a snapshot to every subscriber of its event, on this node and others. Throws only if the
     * snapshot cannot be handed off at all; a remote transport that is down still delivers locally.
     */
    void publish(EventStatistics statistics);

    /**
     * {@link #publish(EventStatistics)} with the seats that the snapshot's change moved (empty for a status
     * change), for listeners' {@link StatisticsListener#onUpdate}. This default drops them (listeners then
     * get null seat changes and re-read seat states); the built-in broadcasters carry them.
     */
    default void publish(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
        publish(statistics);
    }

    /** Subscribes to snapshots of one event published from now on, on any node. */
    Subscription subscribe(long eventId, StatisticsListener listener);

    /**
     * Hands a user's update to that user's subscribers on this node and others, with the guarantees of
     * {@link #publish}; a transport that can lose it tells subscribers through {@link UserListener#onGap()}.
     * The built-in broadcasters carry users' updates; this default, for broadcasters written before they
     * existed, throws {@link UnsupportedOperationException} (the services then stop publishing them, and
     * {@code GET /me/stream} answers {@code 503}).
     */
    default void publish(UserUpdate update) {
        throw new UnsupportedOperationException(getClass().getName() + " does not carry users' updates");
    }

    /**
     * Subscribes to one user's updates published from now on, on any node. This default throws
     * {@link UnsupportedOperationException}, as {@link #publish(UserUpdate)} does.
     */
    default Subscription subscribe(User user, UserListener listener) {
        throw new UnsupportedOperationException(getClass().getName() + " does not carry users' updates");
    }

    /**
     * Whether a user's update may reach a listener: false only if no node has a listener of that user now,
     * so that an update of that user can be skipped (not even built). A listener subscribed after a false
     * answer misses nothing as long as it reads the state it follows after subscribing, since whatever the
     * update would have carried was stored before the question was asked. This default, for broadcasters
     * that cannot tell (several nodes), answers true; the in-process broadcaster answers from its listeners.
     * Called on the thread that made the change, once per reservation change: it must not block. An
     * exception counts as true.
     */
    default boolean hasUserListener(User user) {
        return true;
    }

    /**
     * Tells every node's {@link AllEventsListener}s that an event's place in public lists may have changed
     * without a snapshot (its {@code active} flag was set), with the guarantees of
     * {@link #publish(UserUpdate)}; a transport that can lose it tells them through
     * {@link AllEventsListener#onGap()}. This default, for broadcasters written before it existed, throws
     * {@link UnsupportedOperationException} (the services then stop publishing these, and
     * {@code GET /stream?all=true} answers {@code 503}).
     */
    default void publishListingChanged(long eventId) {
        throw new UnsupportedOperationException(getClass().getName() + " does not carry listing changes");
    }

    /**
     * Subscribes to every event's snapshots and listing changes published from now on, on any node. This
     * default throws {@link UnsupportedOperationException}, as {@link #publishListingChanged} does.
     */
    default Subscription subscribeAll(AllEventsListener listener) {
        throw new UnsupportedOperationException(getClass().getName() + " does not carry all events' updates");
    }

    /** Whether cross-node delivery works now (always true for a single-node broadcaster). */
    default boolean isHealthy() {
        return true;
    }

    /** Stops delivery and releases threads and connections. */
    @Override
    default void close() {
    }
}
