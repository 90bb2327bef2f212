package io.ticketing.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open SSE stream of one event ({@code GET /events/{id}/stream}) or of several ({@code GET
 * /stream?events=}), each an {@link EventSubscription} that its event's dispatcher wakes. Producers
 * ({@link EventSubscription#updated}, {@link #tick}, {@link #closeGracefully}) only set state and trigger
 * {@link #drain()}; draining is serialised by a work-in-progress counter, so at most one thread writes at a
 * time and no lock is held while writing. Writes are non-blocking: a write happens only when
 * {@link ServletOutputStream#isReady()} says so, and the container's {@link #onWritePossible()} resumes the
 * drain. Where the container allows it ({@link DirectOutput}: HTTP/1.x on Jetty) the frames after the first go
 * below the servlet output, one write in flight, and the write's completion resumes the drain.
 *
 * <p>A stream of one event writes its event's shared frames as they are, {@code id:} included (the event's
 * version): one shared byte array per release. A stream of several events writes the same shared frames,
 * encoded once per node, without their {@code id:}, joined into one write with its own {@code id:} line, a
 * {@link StreamCursor} that names the version of every event it wrote; whatever releases are waiting when it
 * can write go into that one write. Either way only the last frame of a write carries an {@code id:}.
 */
final class SseConnection implements WriteListener, AsyncListener, DirectOutput.Completion {
    private static final Logger log = LoggerFactory.getLogger(SseConnection.class);
    private static final byte[] HEARTBEAT = SseFrameEncoder.comment("heartbeat");
    private static final int OPEN = 0;
    private static final int CLOSE_WHEN_FLUSHED = 1;
    private static final int CLOSE_NOW = 2;
    private static final VarHandle WIP;
    private static final VarHandle TERMINATED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WIP = lookup.findVarHandle(SseConnection.class, "wip", int.class);
            TERMINATED = lookup.findVarHandle(SseConnection.class, "terminated", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StreamHub hub;
    private final StreamOwner owner;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final FrameOutput frames;
    /** The output below the servlet output's, if the container allows one; else null. */
    private final DirectOutput direct;
    // Fields updated through WIP and TERMINATED rather than atomic objects: two objects fewer per stream.
    /** Drain requests not yet served ({@link #drain}). */
    @SuppressWarnings("unused")
    private volatile int wip;
    /** Whether it left its hub ({@link #terminate}). */
    private volatile boolean terminated;
    private volatile boolean writing;
    private volatile boolean heartbeatWanted;
    private volatile int closeMode = OPEN;
    private volatile long lastWriteNanos = System.nanoTime();
    /** When the output became unwritable while data waited; 0 while writable. */
    private volatile long unwritableSinceNanos;
    /** Its events, in the order named. */
    private final EventSubscription[] subscriptions;
    /** The ids of a stream of several events; null for a stream of one. */
    private final StreamCursor cursor;

    // Touched only by the draining thread.
    private byte[] preamble;
    /** A stream of several events: the frames taken for its next write, but the last; and that last frame. */
    private ByteArrayOutputStream joining;
    private byte[] joiningLast;
    private boolean flushNeeded;
    /** Whether the servlet output wrote the response's first bytes. */
    private boolean servletWritten;
    /** Whether writes go to {@link #direct}, from when the servlet output was idle after its first write on. */
    private boolean directWrites;
    /** Whether complete() was called or the container completed the request; guarded by this. */
    private boolean completed;

    /**
     * A stream of {@code events} ({@code withCursor}: its ids are a {@link StreamCursor}, as a stream of
     * several events has; else the one event's own version ids).
     */
    SseConnection(StreamHub hub, List<StreamedEvent> events, boolean withCursor, StreamOwner owner,
                  AsyncContext async, ServletOutputStream out) {
        this.hub = hub;
        this.owner = owner;
        this.async = async;
        this.out = out;
        this.frames = FrameOutput.of(out);
        this.direct = DirectOutput.of(async.getRequest(), out, this);
        this.subscriptions = new EventSubscription[events.size()];
        this.cursor = withCursor ? StreamCursor.empty(events.size(), hub.ids().epoch()) : null;
        for (int i = 0; i < subscriptions.length; i++) {
            subscriptions[i] = new EventSubscription(this, i, events.get(i).eventId(), events.get(i).seats());
        }
    }

    /** How a replay names {@code version} of its event at {@code index} on this stream. */
    String idOf(int index, long version) {
        return cursor == null ? hub.ids().of(version) : cursor.id(index, version);
    }

    /** Its events, in the order named. */
    EventSubscription[] subscriptions() {
        return subscriptions;
    }

    StreamOwner owner() {
        return owner;
    }

    /**
     * Begins writing; call once, on the request thread, after every subscription was attached to its
     * dispatcher and {@linkplain EventSubscription#start started}. {@code preamble} ({@code retry:}, and
     * {@code reset} if the client must start over) comes first; {@code has} is, per event, the version the
     * client already has (null: none).
     */
    void start(byte[] preamble, List<Long> has) {
        this.preamble = preamble;
        if (cursor != null) {
            for (int i = 0; i < has.size(); i++) {
                if (has.get(i) != null) {
                    cursor.advance(i, has.get(i));
                }
            }
        }
        out.setWriteListener(this); // the container then calls onWritePossible(), which starts the writing
    }

    /** A release notified to one of its events was replaced before the stream took it. */
    void conflated() {
        hub.countConflated();
    }

    /**
     * Called by the shared scheduler: closes the stream if its client stayed unwritable past
     * {@code slowClientTimeoutNanos}, else asks for a heartbeat if nothing was written for
     * {@code heartbeatNanos}.
     */
    void tick(long now, long heartbeatNanos, long slowClientTimeoutNanos) {
        long since = unwritableSinceNanos;
        if (since != 0 && now - since > slowClientTimeoutNanos) {
            log.debug("Closing stream of {} from {}: unwritable for {} ms", describe(), owner.address(),
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
            log.debug("Closing stream of {} from {}: its credential expired at {}", describe(), owner.address(),
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

    /** A direct write completed. */
    @Override
    public void written() {
        drain();
    }

    /** A direct write failed: as {@link #onError(Throwable)}. */
    @Override
    public void writeFailed(Throwable cause) {
        lost(cause);
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

    /** Writes what it can now; returns at once if another thread is writing (which then writes it). */
    void drain() {
        if ((int) WIP.getAndAdd(this, 1) != 0) {
            return;
        }
        int missed = 1;
        do {
            writeWhileReady();
            missed = (int) WIP.getAndAdd(this, -missed) - missed;
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
            if (!writing || terminated || completed) {
                return false;
            }
            if (!flushNeeded && !hasFrame() && closeMode == OPEN) {
                return false;
            }
            if (!ready()) {
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
                write(frame);
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

    /**
     * Whether a write can start now. Once the servlet output has sent the response's first bytes, holds none
     * unflushed and is idle again, writes go to the direct output, if there is one, and the servlet output is
     * not written again: no byte of it can then follow a direct write.
     */
    private boolean ready() {
        if (directWrites) {
            return !direct.busy();
        }
        if (!out.isReady()) {
            return false;
        }
        directWrites = direct != null && servletWritten && !flushNeeded;
        return true;
    }

    private void write(byte[] frame) throws IOException {
        if (directWrites) {
            direct.write(frame);
        } else {
            flushNeeded = frames.write(out, frame);
            servletWritten = true;
        }
    }

    private boolean hasFrame() {
        if (preamble != null || heartbeatWanted) {
            return true;
        }
        for (EventSubscription subscription : subscriptions) {
            if (subscription.hasNewer()) {
                return true;
            }
        }
        return false;
    }

    private byte[] nextFrame() {
        if (preamble != null) {
            byte[] frame = preamble;
            preamble = null;
            return frame;
        }
        byte[] frame = take();
        if (frame != null) {
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
     * Has its events take their newest releases and returns the bytes of the next write; null if there is nothing
     * to write. The bytes are returned, never kept in a field: the stream lives long, and a reference stored into
     * it costs the collector more than one on the stack.
     */
    private byte[] take() {
        if (cursor == null) {
            return subscriptions[0].take();
        }
        for (EventSubscription subscription : subscriptions) {
            subscription.take();
        }
        if (joining == null) {
            return null;
        }
        if (joiningLast != null) {
            joining.writeBytes(SharedFrame.idLine(cursor.toString()));
            joining.writeBytes(joiningLast);
        }
        byte[] joined = joining.toByteArray();
        joining = null;
        joiningLast = null;
        return joined;
    }

    /**
     * Called by {@code subscription} as it takes {@code update}, whose {@code frames} (shared, in order) go out
     * next, in one write: returns that write's bytes on a stream of one event; a stream of several joins them
     * into its next write and returns null.
     */
    byte[] queue(EventSubscription subscription, EncodedUpdate update, List<SharedFrame> frames, boolean first) {
        if (first) {
            hub.countSent();
        } else {
            hub.countDelivered(update.receivedNanos());
        }
        if (cursor == null) {
            return update.join(frames);
        }
        cursor.advance(subscription.index(), update.version());
        for (SharedFrame frame : frames) {
            joinNext(frame.bytes(false));
        }
        return null;
    }

    /**
     * Called by {@code subscription} as it starts at {@code version} by replaying what the client missed
     * ({@code replayed}, whose frames carry their own ids), which goes out next: returned on a stream of one
     * event, joined into the next write (null) on a stream of several.
     */
    byte[] queueReplayed(EventSubscription subscription, long version, byte[] replayed) {
        hub.countSent(); // the replay since Last-Event-ID is the event's first write
        if (cursor == null) {
            return replayed;
        }
        cursor.advance(subscription.index(), version);
        joinNext(null);
        joining.writeBytes(replayed);
        return null;
    }

    /** Adds a frame to the write being joined; the last one waits for the write's id line. */
    private void joinNext(byte[] frame) {
        if (joining == null) {
            joining = new ByteArrayOutputStream();
        }
        if (joiningLast != null) {
            joining.writeBytes(joiningLast);
        }
        joiningLast = frame;
    }

    /** The events it streams, for the log. */
    private String describe() {
        StringBuilder text = new StringBuilder(subscriptions.length == 1 ? "event " : "events ");
        for (int i = 0; i < subscriptions.length; i++) {
            text.append(i == 0 ? "" : ",").append(subscriptions[i].eventId());
        }
        return text.toString();
    }

    /**
     * A write failed (it threw, possibly on a thread of ours, or the container called
     * {@link #onError(Throwable)}): forget the stream and complete the request. After a failed non-blocking
     * write the servlet API leaves completing to the application, and a request never completed keeps its
     * connection and file descriptor until the container's idle timeout. {@link #complete()} completes it
     * only if the container has not.
     */
    private void lost(Throwable cause) {
        if (!terminated) {
            log.debug("Stream of {} from {} lost: {}", describe(), owner.address(), String.valueOf(cause));
        }
        complete();
    }

    /**
     * The container reported an error: forget the stream. The container completes the request itself
     * once its error callbacks return; completing it here as well would race that.
     */
    private void failed(Throwable cause) {
        if (!terminated) {
            log.debug("Stream of {} from {} failed: {}", describe(), owner.address(), String.valueOf(cause));
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
            if (directWrites && direct.busy()) {
                // the container's own last write would meet ours in flight: end the connection, as the
                // container does when its output is completed with a write pending
                direct.abort(new CancellationException("completed with a write in flight"));
            }
            try {
                async.complete();
            } catch (IllegalStateException alreadyCompleted) {
                log.trace("Stream of {} was already complete", describe());
            }
        }
    }

    /** Forgets this stream: releases its caps and leaves its dispatcher. Idempotent. */
    private void terminate() {
        if (TERMINATED.compareAndSet(this, false, true)) {
            hub.remove(this);
        }
    }
}
