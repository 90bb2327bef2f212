package io.ticketing.core.metrics;

/**
 * Receives what the library measures, as it happens. Every method has an empty default, so a tracker
 * implements only what it records, and {@link #none()} records nothing.
 *
 * <p>Methods are called on the threads doing the work, concurrently, many times per second on the
 * fan-out path ({@link #delivered}, {@link #conflated}): they must be thread-safe, never block and never
 * throw, and should cost no more than an atomic add (no allocation, no map lookup per call). Durations
 * are in nanoseconds of {@link System#nanoTime()}.
 */
public interface MetricsTracker extends AutoCloseable {

    /** The tracker that records nothing; the default of {@link io.ticketing.core.Ticketing.Builder#metrics}. */
    static MetricsTracker none() {
        return NoMetrics.INSTANCE;
    }

    /** A store call returned or threw after {@code nanos}. */
    default void storeCall(StoreOperation operation, CallOutcome outcome, long nanos) {
    }

    /** A reservation request or a hold ended this way. */
    default void reservation(ReservationOutcome outcome) {
    }

    /**
     * A snapshot was handed to the broadcaster in {@code nanos} (on this node, after the store change it
     * describes); {@code ERROR} if the broadcaster threw.
     */
    default void published(CallOutcome outcome, long nanos) {
    }

    /**
     * A cross-node broadcaster sent {@code snapshots} snapshots to the other nodes in one round trip of
     * {@code nanos} ({@code ERROR}: the round trip failed and will be retried).
     */
    default void relayed(CallOutcome outcome, int snapshots, long nanos) {
    }

    /** A cross-node broadcaster subscribed again after losing its pub/sub connection. */
    default void pubSubReconnected() {
    }

    /** An SSE stream opened (after admission, before its first frame). */
    default void streamOpened() {
    }

    /** An SSE stream ended, however it ended; once per {@link #streamOpened}. */
    default void streamClosed() {
    }

    /**
     * A stream took an update to write, {@code lagNanos} after this node received the snapshot (the
     * pacing of a busy event included). Not called for a stream's first snapshot.
     */
    default void delivered(long lagNanos) {
    }

    /** A stream skipped an update because it had not yet written the one before (a slow client). */
    default void conflated() {
    }

    /** A stream was closed because its client stayed unwritable past the slow-client timeout. */
    default void slowClientDropped() {
    }

    /** Releases what the tracker registered (meters, for example); called once, by {@code Ticketing.close()}. */
    @Override
    default void close() {
    }
}
