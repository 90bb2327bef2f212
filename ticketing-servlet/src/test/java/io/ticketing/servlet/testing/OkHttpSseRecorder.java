package io.ticketing.servlet.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * Reads a stream with OkHttp's SSE client, as a Java application would, and records its callbacks in
 * order. A failure (a read timeout, a refused status) and the end are recorded as events too, so tests
 * assert them like the others. Every wait has a deadline.
 */
public final class OkHttpSseRecorder extends EventSourceListener implements AutoCloseable {
    /** One callback: {@code type} is the SSE event name, or {@code "open"}, {@code "failure"}, {@code "closed"}. */
    public record Callback(String type, String id, String data, Throwable failure) {
    }

    private final BlockingQueue<Callback> callbacks = new LinkedBlockingQueue<>();
    private final EventSource source;

    private OkHttpSseRecorder(OkHttpClient client, Request request) {
        this.source = EventSources.createFactory(client).newEventSource(request, this);
    }

    /** Connects {@code request} with {@code client}; the callbacks arrive on OkHttp's threads. */
    public static OkHttpSseRecorder open(OkHttpClient client, Request request) {
        return new OkHttpSseRecorder(client, request);
    }

    /** The next callback, failing the test if none comes within {@code timeout}. */
    public Callback next(Duration timeout) throws InterruptedException {
        Callback next = callbacks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no SSE callback within " + timeout);
        }
        return next;
    }

    /** Whether no callback is waiting: no event, failure or end arrived since the last {@link #next}. */
    public boolean isQuiet() {
        return callbacks.isEmpty();
    }

    @Override
    public void onOpen(EventSource eventSource, Response response) {
        callbacks.add(new Callback("open", null, Integer.toString(response.code()), null));
    }

    @Override
    public void onEvent(EventSource eventSource, String id, String type, String data) {
        callbacks.add(new Callback(type, id, data, null));
    }

    @Override
    public void onFailure(EventSource eventSource, Throwable t, Response response) {
        callbacks.add(new Callback("failure", null, response == null ? null : Integer.toString(response.code()), t));
    }

    @Override
    public void onClosed(EventSource eventSource) {
        callbacks.add(new Callback("closed", null, null, null));
    }

    @Override
    public void close() {
        source.cancel();
    }
}
