package io.ticketing.servlet.internal;

import jakarta.servlet.ServletRequest;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * {@link DirectOutput} on Jetty 12: writes to the request's connection's {@link EndPoint}, which sends a
 * buffer with one non-blocking write and, if the socket cannot take all of it, finishes it when the socket is
 * writable again. One instance per stream is also the callback of its writes, so a write allocates only the
 * buffer that wraps the shared frame.
 */
final class JettyEndPointOutput implements DirectOutput, Callback {
    private final EndPoint endPoint;
    private final Completion completion;
    private volatile boolean busy;

    private JettyEndPointOutput(EndPoint endPoint, Completion completion) {
        this.endPoint = endPoint;
        this.completion = completion;
    }

    /** The output of {@code request}'s connection; null if it is not a Jetty 12 servlet request. */
    static DirectOutput of(ServletRequest request, Completion completion) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty == null) {
            return null;
        }
        return new JettyEndPointOutput(jetty.getConnectionMetaData().getConnection().getEndPoint(), completion);
    }

    @Override
    public boolean busy() {
        return busy;
    }

    @Override
    public void write(byte[] frame) {
        busy = true;
        endPoint.write(this, ByteBuffer.wrap(frame));
    }

    @Override
    public void abort(Throwable cause) {
        endPoint.close(cause);
    }

    @Override
    public void succeeded() {
        busy = false;
        completion.written();
    }

    @Override
    public void failed(Throwable cause) {
        busy = false;
        completion.writeFailed(cause);
    }
}
