package io.ticketing.core.spi;

import io.ticketing.core.model.EventStatistics;

/**
 * Receives statistics snapshots of one event. Calls for one subscription never overlap and arrive with
 * strictly increasing {@code version}: older or equal snapshots are dropped, and a burst may be
 * conflated to its newest snapshot. Called on a broadcaster thread: must not block.
 */
@FunctionalInterface
public interface StatisticsListener {
    void onStatistics(EventStatistics statistics);
}
