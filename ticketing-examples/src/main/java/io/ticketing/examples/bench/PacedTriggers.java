package io.ticketing.examples.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Changes to a set of events at a steady rate: one single-seat reservation per event every {@code period}, the
 * events taken in turn and the reservations spread evenly over the period, sent one at a time from one thread
 * (at most one request in flight, so the load is bounded whatever the server does). A loop that falls more than
 * one period behind skips ahead rather than bursting. {@link #close()} stops it and waits for the request in
 * flight.
 */
final class PacedTriggers implements AutoCloseable {
    private static final String BODY = "{\"section\":\"A\",\"subsection\":1,\"quantity\":1}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<HttpRequest> requests;
    private final long intervalNanos;
    private final long periodNanos;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    private PacedTriggers(int port, long[] eventIds, String buyerToken, Duration period) {
        this.requests = Arrays.stream(eventIds).mapToObj(id -> HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/events/" + id + "/reservations"))
                .header("Authorization", "Bearer " + buyerToken)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build()).toList();
        this.periodNanos = period.toNanos();
        this.intervalNanos = periodNanos / eventIds.length;
        this.thread = new Thread(this::run, "paced-triggers");
        this.thread.setDaemon(true);
    }

    /** Starts reserving one seat of section A, subsection 1, of each event every {@code period}, as the buyer. */
    static PacedTriggers start(int port, long[] eventIds, String buyerToken, Duration period) {
        PacedTriggers triggers = new PacedTriggers(port, eventIds, buyerToken, period);
        triggers.thread.start();
        return triggers;
    }

    /** Reservations answered {@code 201} so far. */
    long sent() {
        return sent.get();
    }

    /** Reservations answered otherwise, or not answered. */
    long failed() {
        return failed.get();
    }

    private void run() {
        long next = System.nanoTime();
        for (int i = 0; !closed; i = (i + 1) % requests.size()) {
            try {
                int status = client.send(requests.get(i), HttpResponse.BodyHandlers.discarding()).statusCode();
                (status == 201 ? sent : failed).incrementAndGet();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failed.incrementAndGet();
            }
            next += intervalNanos;
            long now = System.nanoTime();
            if (now - next > periodNanos) {
                next = now;
            }
            while (!closed && next - System.nanoTime() > 0) {
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(TimeUnit.SECONDS.toMillis(60));
    }
}
