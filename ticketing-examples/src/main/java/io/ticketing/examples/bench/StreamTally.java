package io.ticketing.examples.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the streams of one benchmark phase received, for streams whose frames carry statistics that start with
 * {@code {"eventId":<id>,"version":<version>} (the single-event, several-event and lobby streams). Each stream's
 * {@link SseLoadClient.StreamListener} reads only the {@code event:} line and the start of the {@code data:} line
 * of a frame and skips the rest unparsed. It keeps, per event it follows, the last version it received and how
 * many versions it skipped, so that after the phase {@link #missed} counts the changes a stream never got a frame
 * of. {@link #updates()} may be read at any time; the per-stream figures only after the load clients are closed.
 */
final class StreamTally {
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS_UPDATE = "event: status_update".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: {\"eventId\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION = ",\"version\":".getBytes(StandardCharsets.US_ASCII);
    /** Enough of a line for its name and, in a data line, the event id and version. */
    private static final int KEPT = 64;

    private final int[] indexOfEvent;
    private final List<Listener> listeners = new ArrayList<>();
    private final CountDownLatch ready;
    private final LongAdder updates = new LongAdder();
    private final AtomicInteger refused = new AtomicInteger();

    /**
     * @param eventIds every event a stream of the phase may follow (ids of at most a few million)
     * @param follows  per stream, the indexes into {@code eventIds} of the events it follows: it is ready once it
     *                 has had an {@code initial_status} of each
     */
    StreamTally(long[] eventIds, List<int[]> follows) {
        long max = 0;
        for (long id : eventIds) {
            max = Math.max(max, id);
        }
        indexOfEvent = new int[Math.toIntExact(max + 1)];
        Arrays.fill(indexOfEvent, -1);
        for (int i = 0; i < eventIds.length; i++) {
            indexOfEvent[(int) eventIds[i]] = i;
        }
        ready = new CountDownLatch(follows.size());
        for (int[] events : follows) {
            listeners.add(new Listener(eventIds.length, events.length));
        }
    }

    /** The listener of stream {@code i}. */
    SseLoadClient.StreamListener listener(int i) {
        return listeners.get(i);
    }

    /** Waits until every stream has its initial frames or has ended; false if the time ran out first. */
    boolean awaitReady(long seconds) throws InterruptedException {
        return ready.await(seconds, TimeUnit.SECONDS);
    }

    /** {@code status_update} frames received so far, by every stream. */
    long updates() {
        return updates.sum();
    }

    /** Streams whose response was not {@code 200}. */
    int refused() {
        return refused.get();
    }

    /**
     * The changes that some stream got no frame of (skipped versions, and versions after the last one it has),
     * given each event's final version; after the load clients are closed.
     */
    long missed(long[] finalVersions) {
        long missed = 0;
        for (Listener l : listeners) {
            for (int e = 0; e < finalVersions.length; e++) {
                if (l.last[e] > 0) {
                    missed += l.skipped[e] + Math.max(0, finalVersions[e] - l.last[e]);
                }
            }
        }
        return missed;
    }

    /** Streams that do not hold the final version of every event they follow; after the clients are closed. */
    int behind(long[] finalVersions) {
        int behind = 0;
        for (Listener l : listeners) {
            for (int e = 0; e < finalVersions.length; e++) {
                if (l.last[e] > 0 && l.last[e] < finalVersions[e]) {
                    behind++;
                    break;
                }
            }
        }
        return behind;
    }

    /** One stream's frames, on its load client's thread. */
    private final class Listener implements SseLoadClient.StreamListener {
        final long[] last;
        final long[] skipped;
        private final int initialFrames;
        private final byte[] line = new byte[KEPT];
        private int length;
        private boolean update;
        private int initials;
        private boolean counted;

        Listener(int events, int initialFrames) {
            this.last = new long[events];
            this.skipped = new long[events];
            this.initialFrames = initialFrames;
        }

        @Override
        public void onHead(int status, long connectNanos) {
            if (status != 200) {
                refused.incrementAndGet();
            }
        }

        @Override
        public void onBody(byte[] bytes, int from, int to, long nanos) {
            for (int i = from; i < to; i++) {
                byte b = bytes[i];
                if (b == '\n') {
                    line();
                    length = 0;
                } else if (length < KEPT) {
                    line[length++] = b;
                }
            }
        }

        @Override
        public void onClosed() {
            countReady();
        }

        private void line() {
            if (startsWith(EVENT)) {
                update = length == STATUS_UPDATE.length && startsWith(STATUS_UPDATE);
            } else if (startsWith(DATA)) {
                frame();
            }
        }

        private void frame() {
            int at = DATA.length;
            long id = 0;
            for (; at < length && line[at] >= '0' && line[at] <= '9'; at++) {
                id = id * 10 + line[at] - '0';
            }
            if (!matches(VERSION, at) || id >= indexOfEvent.length || indexOfEvent[(int) id] < 0) {
                return; // not a statistics frame
            }
            long version = 0;
            for (at += VERSION.length; at < length && line[at] >= '0' && line[at] <= '9'; at++) {
                version = version * 10 + line[at] - '0';
            }
            int e = indexOfEvent[(int) id];
            if (last[e] > 0 && version > last[e] + 1) {
                skipped[e] += version - last[e] - 1;
            }
            last[e] = Math.max(last[e], version);
            if (update) {
                updates.increment();
            } else if (++initials == initialFrames) {
                countReady();
            }
        }

        private void countReady() {
            if (!counted) {
                counted = true;
                ready.countDown();
            }
        }

        private boolean startsWith(byte[] prefix) {
            return matches(prefix, 0);
        }

        private boolean matches(byte[] text, int at) {
            if (length - at < text.length) {
                return false;
            }
            for (int i = 0; i < text.length; i++) {
                if (line[at + i] != text[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
