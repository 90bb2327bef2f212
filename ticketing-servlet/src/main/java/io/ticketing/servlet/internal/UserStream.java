package io.ticketing.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of one {@code GET /me/stream}: a queue of frames written in order with non-blocking I/O,
 * as {@link SseConnection} writes (one draining thread at a time, a write only when {@code isReady()}, the
 * output never touched after the container completed the request). A user's own updates are few, so every
 * frame is kept until written; a client that lets {@value #MAX_QUEUED} frames pile up is closed and, on
 * reconnecting, starts again from the current state. What to send is decided by {@link UserFeed}.
 */
final class UserStream implements WriteListener, AsyncListener {
    private static final Logger log = LoggerFactory.getLogger(UserStream.class);
    private static final byte[] HEARTBEAT = SseFrameEncoder.comment("heartbeat");
    static final int MAX_QUEUED = 1_000;

    private final StreamHub hub;
    private final StreamOwner owner;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final FrameOutput frames;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private volatile boolean writing;
    private volatile boolean heartbeatWanted;
    private volatile boolean closeWhenFlushed;
    private volatile boolean closeNow;
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile long unwritableSinceNanos;
    /** What stops this stream's subscriptions; set once before the stream is shared. */
    private volatile Runnable onEnd = () -> { };
    // guarded by this
    private boolean flushNeeded;
    private boolean completed;

    UserStream(StreamHub hub, StreamOwner owner, AsyncContext async, ServletOutputStream out) {
        this.hub = hub;
        this.owner = owner;
        this.async = async;
        this.out = out;
        this.frames = FrameOutput.of(out);
    }

    StreamOwner owner() {
        return owner;
    }

    /** Runs {@code onEnd} once when the stream ends, however it ends. */
    void onEnd(Runnable onEnd) {
        this.onEnd = onEnd;
    }

    /** Begins writing, with {@code retryFrame} first. Call once, before anything is sent. */
    void start(byte[] retryFrame) {
        queued.incrementAndGet();
        queue.add(retryFrame);
        out.setWriteListener(this);
    }

    /** Queues a frame; closes the stream if its client let too many pile up. Never blocks. */
    void send(byte[] frame) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            log.debug("Closing the stream of user {} from {}: {} frames unwritten", owner.user().id(),
                    owner.address(), MAX_QUEUED);
            hub.countSlowClientDropped();
            closeNow();
            return;
        }
        queue.add(frame);
        hub.countSent();
        drain();
    }

    boolean isOpen() {
        return !terminated.get();
    }

    /** Heartbeat, slow client and credential expiry, as {@link SseConnection#tick} and {@code closeIfExpired}. */
    void tick(long now, long heartbeatNanos, long slowClientTimeoutNanos, Instant wallNow) {
        long since = unwritableSinceNanos;
        if (since != 0 && now - since > slowClientTimeoutNanos) {
            hub.countSlowClientDropped();
            closeNow();
        } else if (owner.expiredAt(wallNow)) {
            closeGracefully();
        } else if (now - lastWriteNanos >= heartbeatNanos) {
            heartbeatWanted = true;
            drain();
        }
    }

    void closeGracefully() {
        closeWhenFlushed = true;
        drain();
    }

    void closeNow() {
        closeNow = true;
        drain();
    }

    @Override
    public void onWritePossible() {
        writing = true;
        drain();
    }

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
        failed();
    }

    @Override
    public void onError(AsyncEvent event) {
        failed();
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
            try {
                if (closeNow) {
                    complete();
                } else {
                    while (writeOnce()) {
                        // keep writing while the client accepts data
                    }
                }
            } catch (IOException | RuntimeException e) {
                lost(e);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** One non-blocking step under the monitor the container callbacks take; see {@link SseConnection}. */
    private boolean writeOnce() throws IOException {
        boolean end;
        synchronized (this) {
            if (!writing || terminated.get() || completed) {
                return false;
            }
            boolean hasFrame = !queue.isEmpty() || heartbeatWanted;
            if (!flushNeeded && !hasFrame && !closeWhenFlushed) {
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
            byte[] frame = queue.poll();
            if (frame != null) {
                queued.decrementAndGet();
                heartbeatWanted = false;
            } else if (heartbeatWanted) {
                heartbeatWanted = false;
                frame = HEARTBEAT;
            }
            if (frame != null) {
                flushNeeded = frames.write(frame);
                lastWriteNanos = System.nanoTime();
                return true;
            }
            end = closeWhenFlushed;
        }
        if (end) {
            complete();
        }
        return false;
    }

    private void lost(Throwable cause) {
        if (!terminated.get()) {
            log.debug("Stream of user {} from {} lost: {}", owner.user().id(), owner.address(), String.valueOf(cause));
        }
        complete();
    }

    private void failed() {
        synchronized (this) {
            completed = true;
        }
        terminate();
    }

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
                log.trace("Stream of user {} was already complete", owner.user().id());
            }
        }
    }

    private void terminate() {
        if (terminated.compareAndSet(false, true)) {
            try {
                onEnd.run();
            } finally {
                hub.remove(this);
            }
        }
    }
}
