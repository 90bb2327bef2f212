package io.ticketing.servlet.internal;

/**
 * What an {@link SseStream} writes: frames pulled one at a time when the client can take them. Only the
 * stream's draining thread calls {@link #hasNext} and {@link #next}, one at a time, under the stream's monitor;
 * so a source never needs to hold more than what its stream has not written yet.
 */
interface FrameSource {
    /** Whether {@link #next} has a frame now. */
    boolean hasNext();

    /** The next frame to write, or null if none now. Its bytes may be shared and are never modified. */
    byte[] next();

    /** Called once when the stream ends, however it ends; stops whatever feeds the source. */
    void ended();
}
