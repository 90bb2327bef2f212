package io.ticketing.core.metrics;

/** The tracker that records nothing: every method is the interface's empty default. */
final class NoMetrics implements MetricsTracker {
    static final NoMetrics INSTANCE = new NoMetrics();

    private NoMetrics() {
    }

    @Override
    public String toString() {
        return "no metrics";
    }
}
