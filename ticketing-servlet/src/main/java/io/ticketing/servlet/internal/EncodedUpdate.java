package io.ticketing.servlet.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an event's dispatcher released once for all its streams: the statistics snapshot, and the seat
 * frames of every subsection its streams name that is at the snapshot's version. {@code sequence} counts
 * releases (a release may repeat a version, to add a subsection a new stream named), so streams take
 * each release at most once, in order. Shared by every stream of the event; thread-safe.
 */
final class EncodedUpdate {
    private final long sequence;
    private final long receivedNanos;
    private final EncodedSnapshot statistics;
    private final Map<SubsectionKey, SeatFrames> seats;
    /** The frames streams send of this release, joined into one write, per choice of frames. */
    private final Map<List<SharedFrame>, byte[]> joined = new ConcurrentHashMap<>();

    EncodedUpdate(long sequence, long receivedNanos, EncodedSnapshot statistics, Map<SubsectionKey, SeatFrames> seats) {
        this.sequence = sequence;
        this.receivedNanos = receivedNanos;
        this.statistics = statistics;
        this.seats = Map.copyOf(seats);
    }

    long sequence() {
        return sequence;
    }

    /** When this node received the snapshot ({@link System#nanoTime()}), for the delivery lag. */
    long receivedNanos() {
        return receivedNanos;
    }

    EncodedSnapshot statistics() {
        return statistics;
    }

    Map<SubsectionKey, SeatFrames> seats() {
        return seats;
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
     * {@code frames} (of this release, in order) as the bytes of one write, only the last with its
     * {@code id:}: built once per distinct choice and shared by every stream that makes it, so that a
     * version costs a stream one write however many frames it has.
     */
    byte[] join(List<SharedFrame> frames) {
        if (frames.size() == 1) {
            return frames.get(0).bytes(true);
        }
        return joined.computeIfAbsent(frames, f -> {
            byte[][] parts = new byte[f.size()][];
            int length = 0;
            for (int i = 0; i < parts.length; i++) {
                parts[i] = f.get(i).bytes(i == parts.length - 1);
                length += parts[i].length;
            }
            byte[] all = new byte[length];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return all;
        });
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
