package io.ticketing.servlet.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * One SSE frame, encoded at most once in each of its two forms and shared by every stream that sends it:
 * with its {@code id:} line (the last frame a stream sends of a version) or without (a frame of that
 * version that others follow). Its data is built on first use. Thread-safe.
 */
final class SharedFrame {
    private final String id;
    private final String event;
    private Supplier<String> data; // guarded by this; dropped once built
    private String json; // guarded by this
    private volatile byte[] withId;
    private volatile byte[] withoutId;

    /** @param id the frame's {@code id:} (see {@link StreamIds}) */
    SharedFrame(String id, String event, Supplier<String> data) {
        this.id = id;
        this.event = event;
        this.data = data;
    }

    /**
     * {@code id: <id>\n}: put before a frame's bytes without id, it gives that frame a stream's own id.
     * {@code id} is one of this library's ids, which have no line break.
     */
    static byte[] idLine(String id) {
        return ("id: " + id + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The frame with its {@code id:} line ({@code last}) or without it. */
    byte[] bytes(boolean last) {
        byte[] frame = last ? withId : withoutId;
        return frame != null ? frame : encode(last);
    }

    private synchronized byte[] encode(boolean last) {
        byte[] frame = last ? withId : withoutId;
        if (frame == null) {
            if (json == null) {
                json = data.get();
                data = null;
            }
            frame = SseFrameEncoder.event(last ? id : null, event, json);
            if (last) {
                withId = frame;
            } else {
                withoutId = frame;
            }
        }
        return frame;
    }
}
