package io.ticketing.core;

import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.AllEventsListener;
import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.UserListener;
import io.ticketing.core.spi.TicketStore;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Live seat statistics: the current snapshot, and a subscription to every later one. */
public final class StatisticsService {
    private final TicketStore store;
    private final EventService events;
    private final StatisticsBroadcaster broadcaster;

    StatisticsService(TicketStore store, EventService events, StatisticsBroadcaster broadcaster) {
        this.store = store;
        this.events = events;
        this.broadcaster = broadcaster;
    }

    /** The current snapshot, with every subsection, if {@code viewer} may see the event. O(subsections). */
    public EventStatistics current(long eventId, @Nullable User viewer) {
        events.get(eventId, viewer);
        return store.statistics(eventId).orElseThrow(() -> TicketingException.notFound("event " + eventId + " does not exist"));
    }

    /**
     * The event's statistics and the seat maps of {@code subsections}, all at one version, read in one step
     * (see {@link TicketStore#seatMaps}); for streams, which checked the event's visibility when they opened.
     * The subsections exist; {@code NOT_FOUND} if the event no longer does.
     */
    public SeatMaps seatMaps(long eventId, List<SubsectionRef> subsections) {
        return store.seatMaps(eventId, subsections).orElseThrow(() -> TicketingException.notFound(
                "event " + eventId + " does not exist"));
    }

    /**
     * Up to {@code limit} changes of the event after version {@code since}, oldest first (see
     * {@link TicketStore#changes}); for streams that resume, and for a node's copies of the seats its streams
     * show, which catch up after a gap: those streams checked the event's visibility when they opened.
     * {@code HISTORY_EXPIRED} if the store no longer keeps them; {@code NOT_FOUND} if the event no
     * longer exists.
     */
    public ChangePage changes(long eventId, long since, int limit) {
        return store.changes(eventId, since, limit)
                .orElseThrow(() -> TicketingException.notFound("event " + eventId + " does not exist"));
    }

    /** The store's {@linkplain TicketStore#epoch epoch}: what stream ids carry besides the version. */
    public String epoch() {
        return store.epoch();
    }

    /**
     * The current totals (no {@code sections}) of events the caller was given by {@link EventService#list},
     * by event id, in one store call whatever their number; an event deleted since is left out.
     */
    public Map<Long, EventStatistics> summaries(List<Event> events) {
        return store.summaries(events.stream().map(Event::id).toList());
    }

    /**
     * Subscribes to snapshots published from now on, on this node or (with a cross-node broadcaster) any
     * other. Read {@link #current} after subscribing to start from a known state; the listener's
     * guarantees are those of {@link StatisticsListener}.
     */
    public Subscription subscribe(long eventId, StatisticsListener listener) {
        return broadcaster.subscribe(eventId, listener);
    }

    /**
     * Subscribes to one user's own updates (their reservations' changes, the events they create) published
     * from now on, on any node; the listener's guarantees are those of {@link UserListener}. The caller
     * decides whose updates a client may see: only its authenticated user's.
     *
     * @throws UnsupportedOperationException if the broadcaster does not carry users' updates
     */
    public Subscription subscribe(User user, UserListener listener) {
        return broadcaster.subscribe(user, listener);
    }

    /**
     * Subscribes to every event's snapshots and listing changes published from now on, on any node, with
     * the guarantees of {@link AllEventsListener}: what a view of all public events needs. Read the events
     * ({@link EventService#list}) after subscribing to start from a known state.
     *
     * @throws UnsupportedOperationException if the broadcaster does not carry them
     */
    public Subscription subscribeAll(AllEventsListener listener) {
        return broadcaster.subscribeAll(listener);
    }
}
