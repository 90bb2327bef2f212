package io.ticketing.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of one {@code GET /me/stream}: a queue of frames that its {@link SseStream} writes in order.
 * A user's own updates are few, so every frame is kept until written; a client that lets
 * {@value #MAX_QUEUED} frames pile up is closed and, on reconnecting, starts again from the current state.
 * What to send is decided by {@link UserFeed}.
 */
final class UserStream implements FrameSource {
    private static final Logger log = LoggerFactory.getLogger(UserStream.class);
    static final int MAX_QUEUED = 1_000;

    private final StreamHub hub;
    private final SseStream stream;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** What stops this stream's subscriptions; set once before the stream is shared. */
    private volatile Runnable onEnd = () -> { };

    /** A stream that writes {@code retryFrame} first, then what is {@linkplain #send sent}, once {@link #start started}. */
    UserStream(StreamHub hub, StreamOwner owner, AsyncContext async, ServletOutputStream out, byte[] retryFrame) {
        this.hub = hub;
        this.stream = new SseStream(hub, owner, async, out, this, "of user " + owner.user().id());
        queued.incrementAndGet();
        queue.add(retryFrame);
    }

    /** The response it writes to. */
    SseStream stream() {
        return stream;
    }

    StreamOwner owner() {
        return stream.owner();
    }

    /** Runs {@code onEnd} once when the stream ends, however it ends. */
    void onEnd(Runnable onEnd) {
        this.onEnd = onEnd;
    }

    /**
     * Begins writing (commits the response). Call once, on the request thread; what was sent before is
     * kept until then, so that the current state can be read before the status is chosen.
     */
    void start() {
        stream.start();
    }

    /** Queues a frame; closes the stream if its client let too many pile up. Never blocks. */
    void send(byte[] frame) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            log.debug("Closing the stream of user {} from {}: {} frames unwritten", owner().user().id(),
                    owner().address(), MAX_QUEUED);
            hub.countSlowClientDropped();
            closeNow();
            return;
        }
        queue.add(frame);
        hub.countSent();
        stream.wake();
    }

    boolean isOpen() {
        return stream.isOpen();
    }

    void closeGracefully() {
        stream.closeGracefully();
    }

    void closeNow() {
        stream.closeNow();
    }

    @Override
    public boolean hasNext() {
        return !queue.isEmpty();
    }

    @Override
    public byte[] next() {
        byte[] frame = queue.poll();
        if (frame != null) {
            queued.decrementAndGet();
        }
        return frame;
    }

    @Override
    public void ended() {
        onEnd.run();
    }
}
