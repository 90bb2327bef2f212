package io.ticketing.servlet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket speaking just enough HTTP/1.1 to open a stream and then misbehave: stop reading
 * without closing ({@code receiveBuffer} keeps the client's TCP window small), or vanish with a reset.
 */
public final class RawHttpConnection implements AutoCloseable {
    private final Socket socket;
    private final String head;

    private RawHttpConnection(Socket socket, String head) {
        this.socket = socket;
        this.head = head;
    }

    /** Sends {@code GET uri} and reads the response head (status line and headers). */
    public static RawHttpConnection get(URI uri, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.setSoTimeout(20_000);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response head ended");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return new RawHttpConnection(socket, head.toString(StandardCharsets.US_ASCII));
    }

    /** The status line and headers. */
    public String head() {
        return head;
    }

    /** Closes the socket with a TCP reset (SO_LINGER 0): the client vanishes without a goodbye. */
    public void vanish() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
