package io.ticketing.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of one {@code GET /stream?all=true}: what its {@link SseStream} writes of the node's
 * {@link Lobby}. It holds only the release it last took and, while it starts or catches up, references to
 * shared frames (at most one per public event): a client one release behind writes the release's shared
 * bytes; one further behind, one frame per event that changed (newest wins); one further behind than the
 * lobby keeps is closed, and reconnects to the full set.
 */
final class LobbyStream implements FrameSource {
    private static final Logger log = LoggerFactory.getLogger(LobbyStream.class);

    private final StreamHub hub;
    private final Lobby lobby;
    private final SseStream stream;
    // touched only by the draining thread (and, before the stream starts, the request thread)
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    private long taken;

    LobbyStream(StreamHub hub, Lobby lobby, StreamOwner owner, AsyncContext async, ServletOutputStream out) {
        this.hub = hub;
        this.lobby = lobby;
        this.stream = new SseStream(hub, owner, async, out, this, "lobby");
    }

    /** The response it writes to. */
    SseStream stream() {
        return stream;
    }

    /**
     * Joins the lobby and begins writing: {@code retryFrame}, then every public event's {@code initial_status},
     * then each release. Call once, on the request thread.
     *
     * @throws UnsupportedOperationException if the broadcaster does not carry all events' updates
     */
    void start(byte[] retryFrame) {
        Lobby.CatchUp start = lobby.attach(this);
        if (!stream.isOpen()) {
            lobby.detach(this); // it ended before it joined
            return;
        }
        queued.add(retryFrame);
        queued.addAll(start.frames());
        taken = start.sequence();
        hub.countSent();
        stream.start();
    }

    /** The lobby released a batch: writes it if the client can take it. */
    void wake() {
        stream.wake();
    }

    @Override
    public boolean hasNext() {
        return !queued.isEmpty() || lobby.latest().sequence() > taken;
    }

    @Override
    public byte[] next() {
        byte[] frame = queued.poll();
        if (frame != null) {
            return frame;
        }
        Lobby.Batch latest = lobby.latest();
        if (latest.sequence() <= taken) {
            return null;
        }
        if (latest.sequence() == taken + 1) {
            taken = latest.sequence();
            hub.countSent();
            return latest.frames();
        }
        Lobby.CatchUp catchUp = lobby.since(taken);
        if (catchUp == null) {
            log.debug("Closing lobby stream from {}: further behind than the releases kept", stream.owner().address());
            hub.countSlowClientDropped();
            stream.closeNow();
            return null;
        }
        hub.countConflated();
        taken = catchUp.sequence();
        queued.addAll(catchUp.frames());
        return queued.poll();
    }

    @Override
    public void ended() {
        lobby.detach(this);
    }
}
