package io.ticketing.examples.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Many SSE streams read by one selector thread, for load generation: plain NIO, HTTP/1.1, chunked or
 * not, no reconnection, so that thousands of streams cost the generator far less than they cost the
 * server being measured. Each stream's response goes to its {@link StreamListener}: the head's status
 * and how long it took, then the body with the chunk framing removed, in runs of bytes rather than
 * byte by byte. {@link #close()} closes every connection and stops the thread.
 */
public final class SseLoadClient implements AutoCloseable {

    /** One stream's response, on the client's thread; must not block. */
    public interface StreamListener {
        /**
         * The response head was read.
         *
         * @param status       its status code
         * @param connectNanos from writing the request to reading the end of the head
         */
        void onHead(int status, long connectNanos);

        /** Body bytes {@code [from, to)}, valid only during the call; {@code nanos} is when they were read. */
        void onBody(byte[] bytes, int from, int to, long nanos);

        /** The stream ended: closed by the server, failed, or closed by {@link #close()}. */
        void onClosed();
    }

    /** Called on the client's thread for every dispatched frame; must not block. */
    @FunctionalInterface
    public interface FrameHandler {
        /**
         * @param stream        the stream's index, 0 to {@code streams - 1}
         * @param id            the frame's {@code id:} as a number, or -1 if it had none
         * @param event         the frame's {@code event:} name, or {@code message}
         * @param receivedNanos {@link System#nanoTime()} when the frame's closing blank line was read
         */
        void onFrame(int stream, long id, String event, long receivedNanos);
    }

    private final Selector selector;
    private final List<Stream> streams = new ArrayList<>();
    private final Queue<Stream> connected = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** Connects {@code count} streams to {@code path} and hands each frame's id and event name to {@code handler}. */
    public SseLoadClient(InetSocketAddress server, String path, int count, FrameHandler handler) throws IOException {
        this(server, path, frameParsers(count, handler));
    }

    /**
     * Connects one stream to {@code path} on {@code server} per listener, one after another, and reads
     * them all on one thread, which starts before the first connection so that no response waits.
     */
    public SseLoadClient(InetSocketAddress server, String path, List<? extends StreamListener> listeners)
            throws IOException {
        this(server, listeners.stream().map(l -> new Connection(path, null, null, l)).toList());
    }

    /**
     * One stream: its path, its {@code Last-Event-ID} (null: none), the local address it connects from (null:
     * the system's choice; a loopback alias such as 127.0.0.2 lets one generator stay under a server's cap
     * per client address) and its listener.
     */
    public record Connection(String path, String lastEventId, InetAddress localAddress, StreamListener listener) {
    }

    /** {@link #SseLoadClient(InetSocketAddress, String, List)} with a path, header and address per stream. */
    public SseLoadClient(InetSocketAddress server, List<Connection> connections) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "sse-load-client");
        this.thread.setDaemon(true);
        this.thread.start();
        try {
            for (Connection c : connections) {
                byte[] request = ("GET " + c.path() + " HTTP/1.1\r\nHost: " + server.getHostString() + ":"
                        + server.getPort() + "\r\nAccept: text/event-stream\r\n"
                        + (c.lastEventId() == null ? "" : "Last-Event-ID: " + c.lastEventId() + "\r\n")
                        + "\r\n").getBytes(StandardCharsets.US_ASCII);
                SocketChannel channel = SocketChannel.open();
                if (c.localAddress() != null) {
                    channel.bind(new InetSocketAddress(c.localAddress(), 0));
                }
                channel.connect(server);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Stream stream = new Stream(channel, c.listener(), System.nanoTime());
                streams.add(stream);
                ByteBuffer out = ByteBuffer.wrap(request);
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.configureBlocking(false);
                connected.add(stream);
                selector.wakeup();
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    static List<StreamListener> frameParsers(int count, FrameHandler handler) {
        List<StreamListener> parsers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parsers.add(new FrameParser(i, handler));
        }
        return parsers;
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Stream s : streams) {
            s.close();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        byte[] bytes = new byte[buffer.capacity()];
        while (!closed) {
            try {
                for (Stream s; (s = connected.poll()) != null; ) {
                    s.channel.register(selector, SelectionKey.OP_READ, s);
                }
                selector.select(100);
            } catch (IOException e) {
                return;
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Stream stream = (Stream) key.attachment();
                try {
                    buffer.clear();
                    int n = stream.channel.read(buffer);
                    if (n < 0) {
                        stream.close();
                        continue;
                    }
                    buffer.flip();
                    buffer.get(bytes, 0, n);
                    stream.consume(bytes, n, System.nanoTime());
                } catch (IOException | RuntimeException e) {
                    stream.close();
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** One connection: strips the HTTP head and the chunk framing and passes the body on. */
    private static final class Stream {
        private static final int HEAD = 0;
        private static final int CHUNK_SIZE = 1;
        private static final int CHUNK_DATA = 2;
        private static final int CHUNK_END = 3;
        private static final int PLAIN = 4;

        final SocketChannel channel;
        private final StreamListener listener;
        private final long sentNanos;
        private final StringBuilder head = new StringBuilder();
        private int state = HEAD;
        private long chunkLeft;
        private long chunkSize;
        private boolean sizeRead;
        private boolean closed;

        Stream(SocketChannel channel, StreamListener listener, long sentNanos) {
            this.channel = channel;
            this.listener = listener;
            this.sentNanos = sentNanos;
        }

        void consume(byte[] bytes, int n, long nanos) {
            int i = 0;
            while (i < n) {
                switch (state) {
                    case CHUNK_DATA -> {
                        int run = (int) Math.min(chunkLeft, n - i);
                        listener.onBody(bytes, i, i + run, nanos);
                        i += run;
                        chunkLeft -= run;
                        if (chunkLeft == 0) {
                            state = CHUNK_END;
                        }
                    }
                    case PLAIN -> {
                        listener.onBody(bytes, i, n, nanos);
                        i = n;
                    }
                    default -> framing(bytes[i++], nanos);
                }
            }
        }

        private void framing(byte b, long nanos) {
            switch (state) {
                case HEAD -> {
                    head.append((char) b);
                    int length = head.length();
                    if (length >= 4 && b == '\n' && head.charAt(length - 2) == '\r' && head.charAt(length - 3) == '\n') {
                        String h = head.toString().toLowerCase(Locale.ROOT);
                        int status = h.startsWith("http/1.1 ") && h.length() >= 12 ? Integer.parseInt(h.substring(9, 12)) : 0;
                        listener.onHead(status, nanos - sentNanos);
                        if (status != 200) {
                            throw new IllegalStateException("stream refused: " + h.lines().findFirst().orElse(""));
                        }
                        state = h.contains("transfer-encoding: chunked") ? CHUNK_SIZE : PLAIN;
                    }
                }
                case CHUNK_SIZE -> {
                    if (b == '\n') {
                        if (chunkSize == 0) {
                            throw new IllegalStateException("stream ended");
                        }
                        chunkLeft = chunkSize;
                        chunkSize = 0;
                        sizeRead = false;
                        state = CHUNK_DATA;
                    } else if (!sizeRead && Character.digit(b, 16) >= 0) {
                        chunkSize = chunkSize * 16 + Character.digit(b, 16);
                    } else {
                        sizeRead = true; // '\r' or a chunk extension
                    }
                }
                case CHUNK_END -> {
                    if (b == '\n') {
                        state = CHUNK_SIZE;
                    }
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            listener.onClosed();
        }
    }

    /** Reads each frame's {@code id} and {@code event} name and skips its data without decoding it. */
    private static final class FrameParser implements StreamListener {
        private final int index;
        private final FrameHandler handler;
        /** The first bytes of the current line: enough for {@code id:} and {@code event:} lines. */
        private final byte[] line = new byte[64];
        private int lineLength;
        private long id = -1;
        private String event;

        FrameParser(int index, FrameHandler handler) {
            this.index = index;
            this.handler = handler;
        }

        @Override
        public void onHead(int status, long connectNanos) {
            // only frames matter here
        }

        @Override
        public void onBody(byte[] bytes, int from, int to, long nanos) {
            for (int i = from; i < to; i++) {
                byte b = bytes[i];
                if (b != '\n') {
                    if (b != '\r' && lineLength < line.length) {
                        line[lineLength] = b;
                    }
                    lineLength++;
                } else {
                    line(nanos);
                    lineLength = 0;
                }
            }
        }

        @Override
        public void onClosed() {
            // nothing to report
        }

        private void line(long nanos) {
            if (lineLength == 0) {
                if (event != null || id >= 0) {
                    handler.onFrame(index, id, event == null ? "message" : event, nanos);
                }
                event = null;
            } else if (startsWith("id: ")) {
                String text = new String(line, 4, Math.min(lineLength, line.length) - 4, StandardCharsets.US_ASCII);
                int dash = text.indexOf('-'); // <version>-<epoch>
                id = Long.parseLong(dash < 0 ? text : text.substring(0, dash));
            } else if (startsWith("event: ")) {
                event = new String(line, 7, Math.min(lineLength, line.length) - 7, StandardCharsets.US_ASCII);
            } else if (startsWith("data") && event == null) {
                event = "message";
            }
        }

        private boolean startsWith(String prefix) {
            if (lineLength < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (line[i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
