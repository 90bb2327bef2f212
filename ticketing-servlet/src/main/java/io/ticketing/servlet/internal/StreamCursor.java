package io.ticketing.servlet.internal;

/**
 * The {@code id:} of a stream of several events ({@code GET /stream?events=}): the version of each of its
 * events that the stream has written, in the order of {@code events}, in radix 36, each followed by a dot
 * (empty while none was written), then the store's epoch: {@code 1k.2b..x-<epoch>} for three events. So
 * 50 events fit in well under 1,000 characters. Its versions only grow, so its
 * ids never go back. Touched only by its stream's draining thread.
 */
final class StreamCursor {
    private static final int RADIX = 36;

    private final long[] versions;
    private final String epoch;

    private StreamCursor(long[] versions, String epoch) {
        this.versions = versions;
        this.epoch = epoch;
    }

    /** A cursor of {@code events} events that has none of their versions. */
    static StreamCursor empty(int events, String epoch) {
        long[] versions = new long[events];
        java.util.Arrays.fill(versions, -1);
        return new StreamCursor(versions, epoch);
    }

    /**
     * The versions a client's {@code Last-Event-ID} names, one per event (-1 where it names none); null if it
     * is not a cursor this store could have sent for {@code events} events (malformed, another count, another
     * epoch).
     */
    static long[] parse(String lastEventId, int events, String epoch) {
        if (lastEventId == null || lastEventId.length() > 1000) {
            return null;
        }
        String text = lastEventId.trim();
        int dash = text.indexOf('-');
        if (dash < 0 || !text.substring(dash + 1).equals(epoch)) {
            return null;
        }
        String[] parts = text.substring(0, dash).split("\\.", -1);
        if (parts.length != events + 1 || !parts[events].isEmpty()) {
            return null;
        }
        long[] versions = new long[events];
        for (int i = 0; i < events; i++) {
            versions[i] = version(parts[i]);
            if (versions[i] < -1) {
                return null;
            }
        }
        return versions;
    }

    /** The version a part names, -1 for none, -2 if it is not one. */
    private static long version(String part) {
        if (part.isEmpty()) {
            return -1;
        }
        if (part.length() > 12 || !part.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
            return -2;
        }
        return Long.parseLong(part, RADIX);
    }

    /** Records that event {@code index} was written up to {@code version} (never lowers it). */
    void advance(int index, long version) {
        versions[index] = Math.max(versions[index], version);
    }

    /** Records {@code version} of event {@code index} and returns the id that names the whole stream then. */
    String id(int index, long version) {
        advance(index, version);
        return toString();
    }

    @Override
    public String toString() {
        StringBuilder id = new StringBuilder(versions.length * 4 + epoch.length() + 1);
        for (long v : versions) {
            if (v >= 0) {
                id.append(Long.toString(v, RADIX));
            }
            id.append('.');
        }
        return id.append('-').append(epoch).toString();
    }
}
