package io.ticketing.servlet.internal;

import io.ticketing.core.internal.LatestSlot;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open SSE stream. Producers ({@link #updated}, {@link #tick}, {@link #closeGracefully}) only set
 * state and trigger {@link #drain()}; draining is serialised by a work-in-progress counter, so at most one
 * thread writes at a time and no lock is held while writing. Writes are non-blocking: a frame is written
 * only when {@link ServletOutputStream#isReady()} says so, and the container's
 * {@link #onWritePossible()} resumes the drain.
 *
 * <p>The stream holds no snapshot of its own: it reads its event's {@link LatestSlot} with the release it
 * last took, so it writes the newest snapshot whenever it can write, never one older than it already
 * wrote, and a slow client costs no memory beyond the stream itself. (Storing a fresh snapshot into every
 * long-lived stream on every update would also dirty a card per stream for the garbage collector.)
 *
 * <p>A stream that names subsections ({@code ?seats=}) writes, after each snapshot's status frame, one seat
 * frame per named subsection that the release has frames for: its {@code seat_changes} if the stream
 * showed that subsection at the version those changes start from, else its {@code seat_map}. So a stream
 * that skipped releases gets whole maps, never a state older than one it showed. Only the last frame
 * of a version carries its {@code id:}. A new stream waits for a release that has every subsection it
 * names, so that its {@code seat_map}s follow its {@code initial_status} at the same version.
 */
final class SseConnection implements WriteListener, AsyncListener {
    private static final Logger log = LoggerFactory.getLogger(SseConnection.class);
    private static final byte[] HEARTBEAT = SseFrameEncoder.comment("heartbeat");
    private static final int OPEN = 0;
    private static final int CLOSE_WHEN_FLUSHED = 1;
    private static final int CLOSE_NOW = 2;

    private final StreamHub hub;
    private final long eventId;
    private final StreamOwner owner;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final FrameOutput frames;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private volatile boolean writing;
    private volatile boolean heartbeatWanted;
    private volatile int closeMode = OPEN;
    private volatile long lastWriteNanos = System.nanoTime();
    /** When the output became unwritable while data waited; 0 while writable. */
    private volatile long unwritableSinceNanos;

    /** The subsections it names, in the order named. */
    private final List<SubsectionKey> seats;
    /** The sequence of the last release taken; written only by the draining thread. */
    private volatile long takenSequence = Long.MIN_VALUE;
    /** The sequence of the last {@link #updated} call; touched only by the stripe's pass. */
    private long notifiedSequence = Long.MIN_VALUE;
    /** Its event's newest release; set before the stream is shared with other threads. */
    private LatestSlot<EncodedUpdate> updates;

    // Touched only by the draining thread.
    private byte[] preamble;
    private boolean initialSent;
    /** The version of the last snapshot written. */
    private long sentVersion = Long.MIN_VALUE;
    /** Per named subsection, the version it was last shown at (MIN_VALUE: never). */
    private final long[] shown;
    /** How it starts (see {@link StreamResume}); dropped once it has. */
    private StreamResume resume = StreamResume.FRESH;
    private StreamIds ids;
    /** The frames of the release taken, joined into one write, until written. */
    private byte[] queued;
    private boolean flushNeeded;
    /** Whether complete() was called or the container completed the request; guarded by this. */
    private boolean completed;

    SseConnection(StreamHub hub, long eventId, List<SubsectionKey> seats, StreamOwner owner, AsyncContext async,
                  ServletOutputStream out) {
        this.hub = hub;
        this.seats = List.copyOf(seats);
        this.shown = new long[seats.size()];
        Arrays.fill(shown, Long.MIN_VALUE);
        this.eventId = eventId;
        this.owner = owner;
        this.async = async;
        this.out = out;
        this.frames = FrameOutput.of(out);
    }

    long eventId() {
        return eventId;
    }

    /** The subsections whose seats it streams (empty: statistics only). */
    List<SubsectionKey> seats() {
        return seats;
    }

    StreamOwner owner() {
        return owner;
    }

    /** Reads its releases from {@code updates}; called once, by its dispatcher, before anything else. */
    void attach(LatestSlot<EncodedUpdate> updates) {
        this.updates = updates;
    }

    /**
     * Sets what the stream starts with and begins writing; call once, on the request thread, after the
     * connection is attached to its dispatcher and {@code current} was offered to its slot. {@code preamble}
     * ({@code retry:}, and {@code reset} if the client must start over) comes first; then, as {@code resume}
     * decided: nothing up to the version the client has, if that is {@code current}'s or newer; the missed
     * {@code seat_changes} and the current statistics, if it replays; else {@code initial_status} of the
     * newest snapshot (and {@code seat_map}s).
     */
    void start(byte[] preamble, EncodedUpdate current, StreamResume resume, StreamIds ids) {
        this.preamble = preamble;
        this.resume = resume;
        this.ids = ids;
        Long has = resume.upToDate(current.version());
        if (has != null) {
            initialSent = true;
            sentVersion = has;
            Arrays.fill(shown, has);
        }
        out.setWriteListener(this); // the container then calls onWritePossible(), which starts the writing
    }

    /**
     * Its event's slot now holds release {@code sequence}: writes it if the client can take it. If the
     * previous release notified is still untaken it is conflated, counted once. Called by one stripe pass at
     * a time; never blocks.
     */
    void updated(long sequence) {
        if (notifiedSequence > takenSequence) {
            hub.countConflated();
        }
        notifiedSequence = sequence;
        drain();
    }

    /**
     * Called by the shared scheduler: closes the stream if its client stayed unwritable past
     * {@code slowClientTimeoutNanos}, else asks for a heartbeat if nothing was written for
     * {@code heartbeatNanos}.
     */
    void tick(long now, long heartbeatNanos, long slowClientTimeoutNanos) {
        long since = unwritableSinceNanos;
        if (since != 0 && now - since > slowClientTimeoutNanos) {
            log.debug("Closing stream of event {} from {}: unwritable for {} ms", eventId, owner.address(),
                    (now - since) / 1_000_000);
            hub.countSlowClientDropped();
            closeNow();
        } else if (now - lastWriteNanos >= heartbeatNanos) {
            heartbeatWanted = true;
            drain();
        }
    }

    /**
     * Called by the shared scheduler: closes the stream gracefully once the credential it was opened with has
     * expired at {@code now}, so that the client reconnects with a fresh one.
     */
    void closeIfExpired(Instant now) {
        if (closeMode == OPEN && owner.expiredAt(now)) {
            log.debug("Closing stream of event {} from {}: its credential expired at {}", eventId, owner.address(),
                    owner.expiresAt());
            closeGracefully();
        }
    }

    /** Writes what is pending if the client accepts it, then ends the response cleanly. */
    void closeGracefully() {
        if (closeMode == OPEN) {
            closeMode = CLOSE_WHEN_FLUSHED;
        }
        drain();
    }

    /** Ends the response now, dropping whatever is pending. */
    void closeNow() {
        closeMode = CLOSE_NOW;
        drain();
    }

    /**
     * Writing starts only with the container's first call: before it, the container may still be
     * handling the request on its thread, and a write from another thread could corrupt its state.
     */
    @Override
    public void onWritePossible() {
        writing = true;
        drain();
    }

    /** A write failed: the servlet API leaves completing the request to us. */
    @Override
    public void onError(Throwable t) {
        lost(t);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        synchronized (this) {
            completed = true;
        }
        terminate();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        failed(new IOException("async timeout"));
    }

    @Override
    public void onError(AsyncEvent event) {
        failed(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            writeWhileReady();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void writeWhileReady() {
        try {
            if (closeMode == CLOSE_NOW) {
                complete();
                return;
            }
            while (writeOnce()) {
                // keep writing while the client accepts data
            }
        } catch (IOException | RuntimeException e) {
            lost(e);
        }
    }

    /**
     * One non-blocking step: a flush, a frame, or nothing. Runs under the monitor that the container's
     * callbacks take, so that once {@link #onComplete} or {@link #onError} has returned this stream's
     * output is never touched again: containers recycle response objects, and a late write would land in
     * another request's response. Holding the monitor is cheap because nothing here blocks: a write only
     * happens after {@code isReady()} said it can proceed without waiting. {@code isReady()} is asked only
     * when there is something to do, so a write that needs no flush costs one call of it, not two.
     *
     * @return whether to try another step now
     */
    private boolean writeOnce() throws IOException {
        boolean closeWhenFlushed;
        synchronized (this) {
            if (!writing || terminated.get() || completed) {
                return false;
            }
            if (!flushNeeded && !hasFrame() && closeMode == OPEN) {
                return false;
            }
            if (!out.isReady()) {
                if (unwritableSinceNanos == 0) {
                    unwritableSinceNanos = System.nanoTime();
                }
                return false;
            }
            unwritableSinceNanos = 0;
            if (flushNeeded) {
                flushNeeded = false;
                out.flush();
                return true;
            }
            byte[] frame = nextFrame();
            if (frame != null) {
                flushNeeded = frames.write(frame);
                lastWriteNanos = System.nanoTime();
                return true;
            }
            closeWhenFlushed = closeMode == CLOSE_WHEN_FLUSHED;
        }
        if (closeWhenFlushed) {
            complete();
        }
        return false;
    }

    private boolean hasFrame() {
        return preamble != null || queued != null || heartbeatWanted
                || updates.newerThan(takenSequence) != null;
    }

    private byte[] nextFrame() {
        if (preamble != null) {
            byte[] frame = preamble;
            preamble = null;
            return frame;
        }
        if (queued != null || take()) {
            byte[] frame = queued;
            queued = null;
            heartbeatWanted = false;
            return frame;
        }
        if (heartbeatWanted) {
            heartbeatWanted = false;
            return HEARTBEAT;
        }
        return null;
    }

    /**
     * Takes the newest release, if newer than the last taken, and queues what this stream writes of it as
     * one write; false if that is nothing. A stream that has not started waits for a release with all its subsections.
     */
    private boolean take() {
        EncodedUpdate update = updates.newerThan(takenSequence);
        if (update == null || !initialSent && !update.covers(seats)) {
            return false;
        }
        takenSequence = update.sequence();
        long version = update.version();
        if (!initialSent) {
            byte[] replayed = resume.replayTo(version, update.statistics().initialFrame(), ids);
            resume = StreamResume.FRESH;
            if (replayed != null) {
                queued = replayed;
                initialSent = true;
                sentVersion = version;
                Arrays.fill(shown, version);
                hub.countSent(); // the replay since Last-Event-ID is the stream's first write
                return true;
            }
        }
        List<SharedFrame> frames = new ArrayList<>(1 + seats.size());
        boolean initial = !initialSent;
        if (initial) {
            frames.add(update.statistics().initialFrame());
            initialSent = true;
        } else if (version > sentVersion) {
            frames.add(update.statistics().updateFrame());
        }
        sentVersion = Math.max(sentVersion, version);
        for (int i = 0; i < shown.length; i++) {
            EncodedUpdate.SeatFrames f = update.seats().get(seats.get(i));
            if (f == null || shown[i] >= version) {
                continue;
            }
            if (f.fromVersion() != Long.MIN_VALUE && shown[i] == f.fromVersion()) {
                if (f.changes() != null) {
                    frames.add(f.changes());
                }
            } else {
                frames.add(f.map());
            }
            shown[i] = version;
        }
        if (frames.isEmpty()) {
            return false;
        }
        queued = update.join(frames);
        if (initial) {
            hub.countSent();
        } else {
            hub.countDelivered(update.receivedNanos());
        }
        return true;
    }

    /**
     * A write failed (it threw, possibly on a thread of ours, or the container called
     * {@link #onError(Throwable)}): forget the stream and complete the request. After a failed non-blocking
     * write the servlet API leaves completing to the application, and a request never completed keeps its
     * connection and file descriptor until the container's idle timeout. {@link #complete()} completes it
     * only if the container has not.
     */
    private void lost(Throwable cause) {
        if (!terminated.get()) {
            log.debug("Stream of event {} from {} lost: {}", eventId, owner.address(), String.valueOf(cause));
        }
        complete();
    }

    /**
     * The container reported an error: forget the stream. The container completes the request itself
     * once its error callbacks return; completing it here as well would race that.
     */
    private void failed(Throwable cause) {
        if (!terminated.get()) {
            log.debug("Stream of event {} from {} failed: {}", eventId, owner.address(), String.valueOf(cause));
        }
        synchronized (this) {
            completed = true;
        }
        terminate();
    }

    /**
     * Ends the response, at most once and never after the container completed it: containers recycle
     * request objects, and a late {@code complete()} could end someone else's request. The monitor makes
     * a container callback wait for a completion another thread has begun.
     */
    private void complete() {
        terminate();
        synchronized (this) {
            if (completed) {
                return;
            }
            completed = true;
            try {
                async.complete();
            } catch (IllegalStateException alreadyCompleted) {
                log.trace("Stream of event {} was already complete", eventId);
            }
        }
    }

    /** Forgets this stream: releases its caps and leaves its dispatcher. Idempotent. */
    private void terminate() {
        if (terminated.compareAndSet(false, true)) {
            hub.remove(this);
        }
    }
}
