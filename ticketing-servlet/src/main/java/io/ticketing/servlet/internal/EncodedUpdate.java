package io.ticketing.servlet.internal;

import java.util.Map;

/**
 * What an event's dispatcher released once for all its streams: the statistics snapshot, and the seat
 * frames of every subsection its streams name that is at the snapshot's version. {@code sequence} counts
 * releases (a release may repeat a version, to add a subsection a new stream named), so streams take
 * each release at most once, in order. Immutable; shared by every stream of the event.
 */
record EncodedUpdate(long sequence, EncodedSnapshot statistics, Map<SubsectionKey, SeatFrames> seats) {
    EncodedUpdate {
        seats = Map.copyOf(seats);
    }

    long version() {
        return statistics.version();
    }

    /** Whether it has frames for every one of {@code keys}. */
    boolean covers(Iterable<SubsectionKey> keys) {
        for (SubsectionKey key : keys) {
            if (!seats.containsKey(key)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One subsection's frames at a release's version: {@code changes} (null if none of its seats changed)
     * takes a client that was shown the subsection at {@code fromVersion} to this version; anyone else gets
     * {@code map}. {@code fromVersion} is {@link Long#MIN_VALUE} when the changes are not known (the
     * subsection was re-read) or were too many to be worth sending.
     */
    record SeatFrames(long fromVersion, SharedFrame changes, SharedFrame map) {
    }
}
