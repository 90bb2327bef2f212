package io.ticketing.examples.load;

import io.ticketing.examples.bench.SseLoadClient;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongConsumer;

/**
 * One SSE subscriber of the load generator: parses {@code id:}, {@code event:} and {@code data:} lines
 * of the body bytes {@link SseLoadClient} hands it and keeps just what the report needs — its connect
 * time, the versions of its {@code initial_status} and latest snapshot, and optionally the latest data line. The client's one thread calls it, so the parser needs no lock; the
 * figures are volatile for the reporting thread.
 */
final class SseProbe implements SseLoadClient.StreamListener {
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_INITIAL = "event: initial_status".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long NEWLINES = '\n' * ONES;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final LongConsumer onUpdate;
    private final CountDownLatch initialReceived;
    private final boolean keepData;
    private byte[] line = new byte[2048];
    private int length;
    private long pendingId = -1;
    private boolean pendingInitial;
    private boolean pendingData;

    volatile long connectNanos;
    volatile long initialVersion = -1;
    volatile long lastVersion = -1;
    /** The latest {@code data:} line, prefix included, if {@code keepData}; guarded by this. */
    private byte[] lastData = new byte[2048];
    private int lastDataLength = -1;
    volatile boolean failed;

    /**
     * {@code onUpdate} gets the version of every {@code status_update}, on a client thread; with
     * {@code keepData} the latest data line is kept as text (costly: only for final checks).
     */
    SseProbe(LongConsumer onUpdate, CountDownLatch initialReceived, boolean keepData) {
        this.onUpdate = onUpdate;
        this.initialReceived = initialReceived;
        this.keepData = keepData;
    }

    @Override
    public void onHead(int status, long connectNanos) {
        this.connectNanos = connectNanos;
        if (status != 200) {
            fail();
        }
    }

    @Override
    public void onBody(byte[] bytes, int from, int to, long nanos) {
        int i = from;
        while (i < to) {
            int newline = indexOfNewline(bytes, i, to);
            keep(bytes, i, newline);
            if (newline < to) {
                line();
                length = 0;
                i = newline + 1;
            } else {
                i = to;
            }
        }
    }

    @Override
    public void onClosed() {
        fail();
    }

    /**
     * The index of the first {@code '\n'} in {@code bytes[from, to)}, or {@code to}: eight bytes per step,
     * because a flat-out run hands the load generator tens of megabytes of frames a second to scan.
     */
    static int indexOfNewline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ NEWLINES; // a zero byte where bytes[i + k] == '\n'
            long zeros = (word - ONES) & ~word & HIGH_BITS; // the lowest set bit marks the first zero byte
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        while (i < to && bytes[i] != '\n') {
            i++;
        }
        return i;
    }

    /** Marks the stream failed; the first time before its {@code initial_status}, stops waiting for it. */
    private void fail() {
        if (!failed) {
            failed = true;
            if (initialVersion < 0) {
                initialReceived.countDown();
            }
        }
    }

    /**
     * Appends bytes {@code [from, to)} of the current line: all of a data line with {@code keepData}, else
     * only as many as classifying the line needs.
     */
    private void keep(byte[] bytes, int from, int to) {
        int wanted = to - from;
        boolean mayBeData = length < DATA.length || startsWith(DATA);
        if (!keepData || !mayBeData) {
            wanted = Math.min(wanted, Math.max(0, line.length - length));
        }
        if (length + wanted > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + wanted));
        }
        System.arraycopy(bytes, from, line, length, wanted);
        length += wanted;
    }

    /** Looks at a complete line without decoding it unless it has to. */
    private void line() {
        if (length == 0) {
            dispatch();
        } else if (startsWith(ID)) {
            long id = 0;
            for (int i = ID.length; i < length && line[i] != '-'; i++) { // <version>-<epoch>
                id = id * 10 + (line[i] - '0');
            }
            pendingId = id;
        } else if (startsWith(EVENT)) {
            pendingInitial = length == EVENT_INITIAL.length && startsWith(EVENT_INITIAL);
        } else if (startsWith(DATA)) {
            pendingData = true;
            if (keepData) {
                keepLastData();
            }
        }
    }

    /**
     * Keeps the data line by swapping buffers with the previous one kept, so a frame is copied once:
     * decoding it every time, or copying it again, would cost more.
     */
    private synchronized void keepLastData() {
        byte[] kept = lastData;
        lastData = line;
        lastDataLength = length;
        line = kept;
    }

    /** The latest {@code data:} line's JSON, or null if none arrived or {@code keepData} is off. */
    synchronized String lastData() {
        return lastDataLength < 0 ? null
                : new String(lastData, DATA.length, lastDataLength - DATA.length, StandardCharsets.UTF_8);
    }

    private boolean startsWith(byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private void dispatch() {
        if (pendingData && pendingId >= 0) {
            lastVersion = pendingId;
            if (pendingInitial) {
                initialVersion = pendingId;
                initialReceived.countDown();
            } else {
                onUpdate.accept(pendingId);
            }
        }
        pendingId = -1;
        pendingInitial = false;
        pendingData = false;
    }
}
