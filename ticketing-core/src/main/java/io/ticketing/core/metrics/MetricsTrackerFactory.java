package io.ticketing.core.metrics;

/**
 * Makes the {@link MetricsTracker} of one {@link io.ticketing.core.Ticketing}, which calls {@link #create()}
 * once when it is built and closes the tracker when it is closed. Pass one to
 * {@link io.ticketing.core.Ticketing.Builder#metrics}; the library ships
 * {@link io.ticketing.core.metrics.micrometer.MicrometerMetricsTrackerFactory}.
 */
@FunctionalInterface
public interface MetricsTrackerFactory {

    /** A tracker for one {@code Ticketing} and the HTTP layer over it. */
    MetricsTracker create();
}
