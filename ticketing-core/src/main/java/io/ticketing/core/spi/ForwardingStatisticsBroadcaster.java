package io.ticketing.core.spi;

import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StatisticsBroadcaster} that forwards every method, defaults included, to {@link #delegate()}: the
 * base of a decorator (counting, timing, fault injection) that overrides only what it adds to. It keeps every
 * guarantee of the broadcaster it forwards to, as long as an override keeps the contract of the method it
 * overrides. Thread-safe if the delegate is.
 */
public class ForwardingStatisticsBroadcaster implements StatisticsBroadcaster {
    private final StatisticsBroadcaster delegate;

    /** A broadcaster that forwards to {@code delegate}. */
    public ForwardingStatisticsBroadcaster(StatisticsBroadcaster delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The broadcaster every call is forwarded to; called once per forwarded call. */
    protected StatisticsBroadcaster delegate() {
        return delegate;
    }

    @Override
    public void start(StatisticsLookup lookup) {
        delegate().start(lookup);
    }

    @Override
    public void start(StatisticsLookup lookup, MetricsTracker metrics) {
        delegate().start(lookup, metrics);
    }

    @Override
    public void publish(EventStatistics statistics) {
        delegate().publish(statistics);
    }

    @Override
    public void publish(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
        delegate().publish(statistics, seatChanges);
    }

    @Override
    public Subscription subscribe(long eventId, StatisticsListener listener) {
        return delegate().subscribe(eventId, listener);
    }

    @Override
    public void publish(UserUpdate update) {
        delegate().publish(update);
    }

    @Override
    public Subscription subscribe(User user, UserListener listener) {
        return delegate().subscribe(user, listener);
    }

    @Override
    public boolean hasUserListener(User user) {
        return delegate().hasUserListener(user);
    }

    @Override
    public void publishListingChanged(long eventId) {
        delegate().publishListingChanged(eventId);
    }

    @Override
    public Subscription subscribeAll(AllEventsListener listener) {
        return delegate().subscribeAll(listener);
    }

    @Override
    public boolean isHealthy() {
        return delegate().isHealthy();
    }

    @Override
    public void close() {
        delegate().close();
    }
}
