package io.ticketing.servlet.internal;

import java.time.Duration;

/** The validated settings of {@code TicketingHttp.Builder}, as the internals use them. */
public record HttpLimits(Duration heartbeatInterval, Duration slowClientTimeout, int maxStreams,
                         int maxStreamsPerAddress, Duration retryAfter, Duration reconnectDelay,
                         int maxRequestBodyBytes, int writerThreads, Duration minUpdateInterval,
                         Duration busyEventUpdateInterval, int busyEventChangesPerSecond,
                         int maxStreamsPerUser, Duration reservationExpiringLead, int maxTopicsPerStream) {

    /** The {@code Retry-After} header value, in whole seconds. */
    public String retryAfterSeconds() {
        return Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    /** The pacing of one event's updates, starting now. */
    UpdatePacer newPacer() {
        return new UpdatePacer(minUpdateInterval, busyEventUpdateInterval, busyEventChangesPerSecond, System.nanoTime());
    }
}
