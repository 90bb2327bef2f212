package io.ticketing.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSE response that writes the frames of a {@link FrameSource} with non-blocking I/O, as
 * {@link SseConnection} writes (one draining thread at a time, a write only when {@code isReady()}, the
 * output never touched after the container completed the request), plus heartbeats, the slow-client timeout
 * and the credential's expiry ({@link #tick}). The streams of {@code GET /me/stream} ({@link UserStream}) and
 * {@code GET /stream?all=true} ({@link LobbyStream}) are such streams; they differ only in their source.
 */
final class SseStream implements WriteListener, AsyncListener {
    private static final Logger log = LoggerFactory.getLogger(SseStream.class);
    private static final byte[] HEARTBEAT = SseFrameEncoder.comment("heartbeat");
    private static final VarHandle WIP;
    private static final VarHandle TERMINATED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WIP = lookup.findVarHandle(SseStream.class, "wip", int.class);
            TERMINATED = lookup.findVarHandle(SseStream.class, "terminated", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StreamHub hub;
    private final StreamOwner owner;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final FrameOutput frames;
    private final FrameSource source;
    /** What the logs call it: {@code of user 7}, {@code lobby}. */
    private final String name;
    // Updated through WIP and TERMINATED, as in SseConnection.
    @SuppressWarnings("unused")
    private volatile int wip;
    private volatile boolean terminated;
    private volatile boolean writing;
    private volatile boolean heartbeatWanted;
    private volatile boolean closeWhenFlushed;
    private volatile boolean closeNow;
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile long unwritableSinceNanos;
    // guarded by this
    private boolean flushNeeded;
    private boolean completed;

    SseStream(StreamHub hub, StreamOwner owner, AsyncContext async, ServletOutputStream out, FrameSource source,
              String name) {
        this.hub = hub;
        this.owner = owner;
        this.async = async;
        this.out = out;
        this.frames = FrameOutput.of(out);
        this.source = source;
        this.name = name;
    }

    StreamOwner owner() {
        return owner;
    }

    /** Begins writing (the container's first {@code onWritePossible}). Call once, on the request thread. */
    void start() {
        out.setWriteListener(this);
    }

    /** The source may have a frame: writes it if the client can take it. Never blocks. */
    void wake() {
        drain();
    }

    boolean isOpen() {
        return !terminated;
    }

    /** Heartbeat, slow client and credential expiry, as {@link SseConnection#tick} and {@code closeIfExpired}. */
    void tick(long now, long heartbeatNanos, long slowClientTimeoutNanos, Instant wallNow) {
        long since = unwritableSinceNanos;
        if (since != 0 && now - since > slowClientTimeoutNanos) {
            log.debug("Closing stream {} from {}: unwritable for {} ms", name, owner.address(), (now - since) / 1_000_000);
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
        if ((int) WIP.getAndAdd(this, 1) != 0) {
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
            missed = (int) WIP.getAndAdd(this, -missed) - missed;
        } while (missed != 0);
    }

    /** One non-blocking step under the monitor the container callbacks take; see {@link SseConnection}. */
    private boolean writeOnce() throws IOException {
        boolean end;
        synchronized (this) {
            if (!writing || terminated || completed) {
                return false;
            }
            boolean hasFrame = heartbeatWanted || source.hasNext();
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
            byte[] frame = source.next();
            if (frame != null) {
                heartbeatWanted = false;
            } else if (heartbeatWanted) {
                heartbeatWanted = false;
                frame = HEARTBEAT;
            }
            if (frame != null) {
                flushNeeded = frames.write(out, frame);
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
        if (!terminated) {
            log.debug("Stream {} from {} lost: {}", name, owner.address(), String.valueOf(cause));
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
                log.trace("Stream {} was already complete", name);
            }
        }
    }

    private void terminate() {
        if (TERMINATED.compareAndSet(this, false, true)) {
            try {
                source.ended();
            } finally {
                hub.remove(this);
            }
        }
    }
}
