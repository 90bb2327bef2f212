package io.ticketing.core.memory;

import io.ticketing.core.internal.AllEventsFanout;
import io.ticketing.core.internal.UserFanout;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.AllEventsListener;
import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.UserListener;
import io.ticketing.core.spi.support.LocalFanout;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The default broadcaster for a single node: hands snapshots straight to this JVM's subscribers on a
 * small pool of fan-out threads. {@link #publish} costs O(1) whatever the number of subscribers. Each
 * event's subscribers get every snapshot in version order, as {@link LocalFanout} states (a burst's
 * snapshots handed over together); pacing updates to clients is the HTTP layer's alone.
 */
public final class InProcessBroadcaster implements StatisticsBroadcaster {
    /** Fan-out threads used by the no-argument constructor. */
    public static final int DEFAULT_THREADS = 2;

    private final LocalFanout fanout;
    private final UserFanout users = new UserFanout();
    private final AllEventsFanout all = new AllEventsFanout();

    public InProcessBroadcaster() {
        this(DEFAULT_THREADS);
    }

    /** @param threads how many threads call listeners; one event's listeners are called by one at a time */
    public InProcessBroadcaster(int threads) {
        this.fanout = new LocalFanout(threads, "ticketing-fanout");
    }

    @Override
    public void publish(EventStatistics statistics) {
        fanout.deliver(statistics);
        all.statistics(statistics);
    }

    @Override
    public void publish(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
        fanout.deliver(statistics, seatChanges);
        all.statistics(statistics);
    }

    @Override
    public Subscription subscribe(long eventId, StatisticsListener listener) {
        return fanout.subscribe(eventId, listener);
    }

    /** Calls the user's listeners on the publishing thread. */
    @Override
    public void publish(UserUpdate update) {
        users.deliver(update);
    }

    /** Answers from this node's listeners: this broadcaster has no other node. */
    @Override
    public boolean hasUserListener(User user) {
        return users.hasListener(user);
    }

    @Override
    public Subscription subscribe(User user, UserListener listener) {
        return users.subscribe(user, listener);
    }

    /** Calls the listeners of all events on the publishing thread. */
    @Override
    public void publishListingChanged(long eventId) {
        all.listingChanged(eventId);
    }

    /** Listener calls come from the publishing thread. */
    @Override
    public Subscription subscribeAll(AllEventsListener listener) {
        return all.subscribe(listener);
    }

    @Override
    public void close() {
        fanout.close();
    }
}
