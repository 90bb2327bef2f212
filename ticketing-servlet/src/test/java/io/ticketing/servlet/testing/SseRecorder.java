package io.ticketing.servlet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Opens an SSE stream over real HTTP and records what arrives, in order, for assertions in the style of
 * OkHttp's {@code EventSourceRecorder}: {@code recorder.assertEvent("initial_status", 57)}. One reader
 * thread per recorder parses the stream; {@link #pause()} stops it reading (so the server sees a stalled
 * client) and {@link #resume()} lets it go on. Every wait has a deadline.
 */
public final class SseRecorder implements AutoCloseable {
    /** What the recorder saw: an event, a comment, a {@code retry:} field, the clean end or a failure. */
    /**
     * {@code id} is the stream's last event id, as a browser keeps it (the frame's own, or the one before);
     * {@code idLine} says whether the frame had an {@code id:} line of its own.
     */
    public record Message(Kind kind, String id, String event, String data, boolean idLine) {
        Message(Kind kind, String id, String event, String data) {
            this(kind, id, event, data, false);
        }

        public enum Kind { EVENT, COMMENT, RETRY, END, FAILURE }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** Held so that the client (and with it the connection) lives as long as the recorder. */
    private final HttpClient client;
    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final Semaphore gate = new Semaphore(1);
    private volatile boolean closed;

    private SseRecorder(HttpClient client, HttpResponse<InputStream> response) {
        this.client = client;
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "sse-recorder");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * Connects on a connection of its own (never a pooled one) and waits for the response head;
     * {@code headers} are name, value pairs.
     */
    public static SseRecorder open(URI uri, String... headers) throws IOException, InterruptedException {
        return open(HttpClient.Version.HTTP_1_1, uri, headers);
    }

    /** Like {@link #open(URI, String...)}, asking for {@code version} (HTTP/2 over cleartext by upgrade). */
    public static SseRecorder open(HttpClient.Version version, URI uri, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(DEFAULT_TIMEOUT).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpClient client = HttpClient.newBuilder().version(version)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return new SseRecorder(client, client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** The client this recorder connected with (one per recorder). */
    public HttpClient client() {
        return client;
    }

    /** The protocol the response came with. */
    public HttpClient.Version version() {
        return response.version();
    }

    public int status() {
        return response.statusCode();
    }

    public HttpHeaders headers() {
        return response.headers();
    }

    /** The whole body of a response that is not a stream (an error), as JSON. */
    public JsonNode errorBody() throws IOException {
        try (InputStream in = response.body()) {
            return JSON.readTree(in);
        }
    }

    /** The next message of any kind, or fails after {@code timeout}. */
    public Message next(Duration timeout) throws InterruptedException {
        Message m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            fail("no SSE message within " + timeout);
        }
        return m;
    }

    /** The next event, skipping comments and {@code retry:}; fails on the end of the stream. */
    public Message nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Message m = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            switch (m.kind()) {
                case EVENT:
                    return m;
                case END:
                case FAILURE:
                    fail("stream ended while an event was expected: " + m);
                    return m;
                default:
                    break;
            }
        }
    }

    /** The next event of {@code type}, skipping events of other types; each may take up to {@code timeout}. */
    public Message nextEvent(String type, Duration timeout) throws InterruptedException {
        Message m;
        do {
            m = nextEvent(timeout);
        } while (!m.event().equals(type));
        return m;
    }

    /** The version of a stream id, {@code <version>-<epoch>}; -1 for null. */
    public static long versionOf(String id) {
        if (id == null) {
            return -1;
        }
        int dash = id.indexOf('-');
        return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    }

    /** Asserts that the next event has this type and {@code id: version}, and that its data has that version. */
    public Message assertEvent(String type, long version) throws InterruptedException, IOException {
        Message m = nextEvent(DEFAULT_TIMEOUT);
        assertEquals(type, m.event(), "event type of " + m);
        assertEquals(version, versionOf(m.id()), "id of " + m);
        assertTrue(m.idLine(), "no id: line of its own: " + m);
        assertEquals(version, json(m).get("version").asLong(), "version in the data of " + m);
        return m;
    }

    /** Asserts that a comment with this text arrives (skipping events). */
    public void assertComment(String text) throws InterruptedException {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (true) {
            Message m = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (m.kind() == Message.Kind.COMMENT && text.equals(m.data())) {
                return;
            }
            if (m.kind() == Message.Kind.END || m.kind() == Message.Kind.FAILURE) {
                fail("stream ended while the comment '" + text + "' was expected: " + m);
            }
        }
    }

    /** Asserts that the server ends the stream cleanly (end of the body, no reset), skipping the rest. */
    public void assertEnd() throws InterruptedException {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (true) {
            Message m = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (m.kind() == Message.Kind.END) {
                return;
            }
            if (m.kind() == Message.Kind.FAILURE) {
                fail("stream failed instead of ending cleanly: " + m.data());
            }
        }
    }

    public static JsonNode json(Message event) throws IOException {
        assertNotNull(event.data(), "event without data");
        return JSON.readTree(event.data());
    }

    /** Stops reading from the socket until {@link #resume()}. */
    public void pause() throws InterruptedException {
        gate.acquire();
    }

    public void resume() {
        gate.release();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        response.body().close();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8), 512)) {
            String id = null;
            boolean idLine = false;
            String event = null;
            StringBuilder data = null;
            while (true) {
                gate.acquire();
                String line;
                try {
                    line = in.readLine();
                } finally {
                    gate.release();
                }
                if (line == null) {
                    messages.add(new Message(Message.Kind.END, null, null, null));
                    return;
                }
                if (line.isEmpty()) {
                    if (data != null) {
                        messages.add(new Message(Message.Kind.EVENT, id, event, data.toString(), idLine));
                    }
                    idLine = false;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    messages.add(new Message(Message.Kind.COMMENT, null, null, line.substring(1).trim()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> {
                            id = value;
                            idLine = true;
                        }
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        case "retry" -> messages.add(new Message(Message.Kind.RETRY, null, null, value));
                        default -> { }
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            if (!closed) {
                messages.add(new Message(Message.Kind.FAILURE, null, null,
                        e + (e.getCause() == null ? "" : " caused by " + e.getCause())));
            }
        }
    }
}
