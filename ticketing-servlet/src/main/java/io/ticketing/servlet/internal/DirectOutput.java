package io.ticketing.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;

/**
 * A stream's connection written below the container's servlet output, where the container allows it: the bytes
 * of an HTTP/1.x response body that is delimited by the end of its connection ({@code Connection: close}) need
 * no framing, so once the response is committed they can go to the socket as they are, without the servlet
 * output's state machine and the HTTP/1 channel's per-write bookkeeping. At most one write is in flight;
 * its completion (or failure) is reported to the {@link Completion} given at {@link #write}.
 *
 * <p>Nothing here refers to a container's classes: {@link #of} loads the implementation only for a container it
 * recognises and returns null for any other, and where the container's classes are hidden.
 */
interface DirectOutput {
    /** Learns how a write ended; called on whichever thread completes it, possibly inside {@link #write}. */
    interface Completion {
        void written();

        void writeFailed(Throwable cause);
    }

    /** Whether a write is in flight. */
    boolean busy();

    /** Starts writing {@code frame} (shared, never modified); call only when not {@linkplain #busy() busy}. */
    void write(byte[] frame);

    /** Closes the connection, failing the write in flight, if any. */
    void abort(Throwable cause);

    /**
     * The direct output of a stream that {@code request} opened and that writes to {@code out}, reporting to
     * {@code completion}; null where frames must go through {@code out} (HTTP/2, another container).
     */
    static DirectOutput of(ServletRequest request, ServletOutputStream out, Completion completion) {
        if (!out.getClass().getName().startsWith("org.eclipse.jetty.") || !request.getProtocol().startsWith("HTTP/1.")) {
            return null;
        }
        try {
            return JettyEndPointOutput.of(request, completion);
        } catch (LinkageError hidden) {
            return null;
        }
    }
}
