package io.ticketing.servlet.testing;

import io.ticketing.core.memory.InProcessBroadcaster;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.AllEventsListener;
import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.UserListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The in-process broadcaster, plus {@link #gapUsers()}: tells every user listener that updates may have been
 * lost, as a pub/sub transport does after it reconnects.
 */
public final class GapBroadcaster implements StatisticsBroadcaster {
    private final InProcessBroadcaster delegate = new InProcessBroadcaster();
    private final Set<UserListener> users = ConcurrentHashMap.newKeySet();

    /** Calls {@link UserListener#onGap()} of every user listener subscribed now. */
    public void gapUsers() {
        users.forEach(UserListener::onGap);
    }

    @Override
    public void publish(EventStatistics statistics) {
        delegate.publish(statistics);
    }

    @Override
    public void publish(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
        delegate.publish(statistics, seatChanges);
    }

    @Override
    public Subscription subscribe(long eventId, StatisticsListener listener) {
        return delegate.subscribe(eventId, listener);
    }

    @Override
    public boolean hasUserListener(User user) {
        return delegate.hasUserListener(user);
    }

    @Override
    public void publish(UserUpdate update) {
        delegate.publish(update);
    }

    @Override
    public Subscription subscribe(User user, UserListener listener) {
        Subscription subscription = delegate.subscribe(user, listener);
        users.add(listener);
        return () -> {
            users.remove(listener);
            subscription.close();
        };
    }

    @Override
    public void publishListingChanged(long eventId) {
        delegate.publishListingChanged(eventId);
    }

    @Override
    public Subscription subscribeAll(AllEventsListener listener) {
        return delegate.subscribeAll(listener);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
