package io.ticketing.examples.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many SSE streams read by one selector thread, for load generation: it reads each frame's {@code id}
 * and {@code event} name and skips the data without decoding it, so that a thousand streams cost the
 * generator far less than they cost the server being measured. HTTP/1.1 only, chunked or not; does not
 * reconnect. {@link #close()} closes every connection and stops the thread.
 */
public final class SseLoadClient implements AutoCloseable {

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
    private final FrameHandler handler;
    private final Thread thread;
    private volatile boolean closed;

    /** Connects {@code count} streams to {@code path} on {@code server} and starts reading. */
    public SseLoadClient(InetSocketAddress server, String path, int count, FrameHandler handler) throws IOException {
        this.handler = handler;
        this.selector = Selector.open();
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(server);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer out = ByteBuffer.wrap(request);
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.configureBlocking(false);
                Stream stream = new Stream(i, channel);
                channel.register(selector, SelectionKey.OP_READ, stream);
                streams.add(stream);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        this.thread = new Thread(this::run, "sse-load-client");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Stream s : streams) {
            try {
                s.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
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
                        key.cancel();
                        stream.channel.close();
                        continue;
                    }
                    buffer.flip();
                    buffer.get(bytes, 0, n);
                    stream.consume(bytes, n, System.nanoTime());
                } catch (IOException | RuntimeException e) {
                    key.cancel();
                    try {
                        stream.channel.close();
                    } catch (IOException ignored) {
                        // already failing
                    }
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** One connection: strips the HTTP head and chunk framing, then splits SSE lines. */
    private final class Stream {
        private static final int HEAD = 0;
        private static final int CHUNK_SIZE = 1;
        private static final int CHUNK_DATA = 2;
        private static final int CHUNK_END = 3;
        private static final int PLAIN = 4;

        final int index;
        final SocketChannel channel;
        private int state = HEAD;
        private final StringBuilder head = new StringBuilder();
        private long chunkLeft;
        private long chunkSize;
        private boolean sizeRead;
        /** The first bytes of the current line: enough for {@code id:} and {@code event:} lines. */
        private final byte[] line = new byte[64];
        private int lineLength;
        private long id = -1;
        private String event;

        Stream(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }

        void consume(byte[] bytes, int n, long nanos) {
            for (int i = 0; i < n; i++) {
                byte b = bytes[i];
                switch (state) {
                    case HEAD -> {
                        head.append((char) b);
                        int length = head.length();
                        if (length >= 4 && head.charAt(length - 1) == '\n' && head.charAt(length - 2) == '\r'
                                && head.charAt(length - 3) == '\n') {
                            String h = head.toString().toLowerCase();
                            if (!h.startsWith("http/1.1 200")) {
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
                    case CHUNK_DATA -> {
                        body(b, nanos);
                        if (--chunkLeft == 0) {
                            state = CHUNK_END;
                        }
                    }
                    case CHUNK_END -> {
                        if (b == '\n') {
                            state = CHUNK_SIZE;
                        }
                    }
                    default -> body(b, nanos);
                }
            }
        }

        private void body(byte b, long nanos) {
            if (b != '\n') {
                if (b != '\r' && lineLength < line.length) {
                    line[lineLength] = b;
                }
                lineLength++;
                return;
            }
            if (lineLength == 0) {
                if (event != null || id >= 0) {
                    handler.onFrame(index, id, event == null ? "message" : event, nanos);
                }
                event = null;
            } else if (startsWith("id: ")) {
                id = Long.parseLong(new String(line, 4, Math.min(lineLength, line.length) - 4, StandardCharsets.US_ASCII));
            } else if (startsWith("event: ")) {
                event = new String(line, 7, Math.min(lineLength, line.length) - 7, StandardCharsets.US_ASCII);
            } else if (startsWith("data")) {
                if (event == null) {
                    event = "message";
                }
            }
            lineLength = 0;
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
