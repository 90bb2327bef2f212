package io.ticketing.servlet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket speaking just enough HTTP/1.1 to misbehave: open a stream, then stop reading without
 * closing ({@code receiveBuffer} keeps the client's TCP window small) or vanish with a reset; send a
 * request's head and its body apart; or send a request no HTTP client would.
 */
public final class RawHttpConnection implements AutoCloseable {
    private final Socket socket;
    private String head;

    private RawHttpConnection(Socket socket) {
        this.socket = socket;
    }

    /** Sends {@code GET uri} and reads the response head (status line and headers). */
    public static RawHttpConnection get(URI uri, int receiveBuffer) throws IOException {
        RawHttpConnection connection = open(uri, receiveBuffer);
        connection.send("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n");
        connection.head = connection.readHead();
        return connection;
    }

    /**
     * Sends {@code request} — a request line and any headers, or a whole request if it has a blank line —
     * byte for byte (ISO-8859-1, so that it may hold what no HTTP client would send), adding {@code Host} and
     * {@code Connection: close}, and returns the whole response up to the server's close.
     */
    public static String exchange(URI server, String request) throws IOException {
        int blank = request.indexOf("\r\n\r\n");
        String head = blank < 0 ? request : request.substring(0, blank);
        String rest = blank < 0 ? "\r\n" : request.substring(blank + 2);
        String full = head + "\r\nHost: " + server.getHost() + ":" + server.getPort() + "\r\nConnection: close\r\n" + rest;
        try (RawHttpConnection connection = open(server, 64 * 1024)) {
            connection.socket.getOutputStream().write(full.getBytes(StandardCharsets.ISO_8859_1));
            connection.socket.getOutputStream().flush();
            return new String(connection.socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Connects to {@code uri}'s server and sends nothing yet. */
    public static RawHttpConnection open(URI uri, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.setSoTimeout(20_000);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        return new RawHttpConnection(socket);
    }

    /** Sends bytes as they are: a request head, a body, or both. */
    public void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads the next response head, through its blank line; throws if the server closed the connection first. */
    public String readHead() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response head ended: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Reads {@code length} bytes of a response body. */
    public String readBody(int length) throws IOException {
        return new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection: the next read finds its end. */
    public boolean closedByServer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** The status line and headers of the stream opened by {@link #get}. */
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
