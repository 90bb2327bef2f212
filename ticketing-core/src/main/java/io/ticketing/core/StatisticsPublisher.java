package io.ticketing.core;

import io.ticketing.core.metrics.CallOutcome;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.StatisticsBroadcaster;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes snapshots after a store change has committed. A failure to publish is logged, not thrown:
 * the change stands, and subscribers converge on the next snapshot or when they reconnect.
 */
final class StatisticsPublisher {
    private static final Logger log = LoggerFactory.getLogger(StatisticsPublisher.class);
    private final StatisticsBroadcaster broadcaster;
    private final MetricsTracker metrics;
    /** False without metrics: then the clock is not read around each publish. */
    private final boolean timed;
    private volatile boolean userUpdatesCarried = true;
    private volatile boolean listingChangesCarried = true;

    StatisticsPublisher(StatisticsBroadcaster broadcaster, MetricsTracker metrics) {
        this.broadcaster = broadcaster;
        this.metrics = metrics;
        this.timed = metrics != MetricsTracker.none();
    }

    /** Publishes a snapshot (nothing if null) with the seats its change moved. */
    void publish(EventStatistics statistics, List<SeatChange> seatChanges) {
        if (statistics == null) {
            return;
        }
        long start = timed ? System.nanoTime() : 0;
        try {
            broadcaster.publish(statistics, seatChanges);
            if (timed) {
                metrics.published(CallOutcome.OK, System.nanoTime() - start);
            }
        } catch (RuntimeException e) {
            if (timed) {
                metrics.published(CallOutcome.ERROR, System.nanoTime() - start);
            }
            log.warn("Could not publish statistics v{} of event {}; subscribers will catch up on the next change",
                    statistics.version(), statistics.eventId(), e);
        }
    }

    /**
     * Publishes a reservation's change: the event's snapshot and, if it changed and the buyer may have a
     * listener ({@link StatisticsBroadcaster#hasUserListener}, asked after the change was stored), the
     * reservation to its buyer, {@code buyer} (who the caller already has: no user is made per change).
     */
    void publish(ReservationChange change, User buyer) {
        publish(change.statistics(), change.seatChanges());
        if (change.changed() && userUpdatesCarried && mayReachListener(buyer)) {
            publish(UserUpdate.reservation(change.reservation()));
        }
    }

    /** The broadcaster's answer; true if asking fails, since the change is stored and must not fail now. */
    private boolean mayReachListener(User user) {
        try {
            return broadcaster.hasUserListener(user);
        } catch (RuntimeException e) {
            log.warn("The broadcaster could not tell whether {} has a listener; publishing the update", user, e);
            return true;
        }
    }

    /**
     * Publishes a user's update; a failure is logged, the user's streams catch up when they reconnect. A
     * broadcaster that does not carry users' updates is told once, then not asked again.
     */
    void publish(UserUpdate update) {
        if (!userUpdatesCarried) {
            return;
        }
        try {
            broadcaster.publish(update);
        } catch (UnsupportedOperationException e) {
            userUpdatesCarried = false;
            log.warn("The broadcaster does not carry users' updates, so GET /me/stream is not served: {}",
                    e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Could not publish an update for user {}; their streams catch up when they reconnect",
                    update.user().id(), e);
        }
    }

    /**
     * Tells every node that an event's place in public lists may have changed (its {@code active} flag was
     * set); a failure is logged, and a broadcaster that does not carry these is told once, then not asked again.
     */
    void publishListingChanged(long eventId) {
        if (!listingChangesCarried) {
            return;
        }
        try {
            broadcaster.publishListingChanged(eventId);
        } catch (UnsupportedOperationException e) {
            listingChangesCarried = false;
            log.warn("The broadcaster does not carry listing changes, so GET /stream?all=true is not served: {}",
                    e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Could not publish the listing change of event {}; lobby streams catch up when they reconnect",
                    eventId, e);
        }
    }

    /** Publishes and lets a failure through: for steps that must be undone when publishing fails. */
    void publishOrThrow(EventStatistics statistics) {
        long start = System.nanoTime();
        try {
            broadcaster.publish(statistics, List.of());
        } catch (RuntimeException e) {
            metrics.published(CallOutcome.ERROR, System.nanoTime() - start);
            throw e;
        }
        metrics.published(CallOutcome.OK, System.nanoTime() - start);
    }
}
