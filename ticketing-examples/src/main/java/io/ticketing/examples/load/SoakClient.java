package io.ticketing.examples.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.model.Role;
import io.ticketing.examples.ToolFlags;
import io.ticketing.examples.bench.SseLoadClient;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak test of a {@link BenchmarkServer} on this machine, not part of the test suite: for
 * {@code --duration-s}, {@code --buyers} threads reserve one seat and cancel it as fast as the server answers
 * (one in ten confirms first and then refunds; one in ten has an idempotency key and, unless
 * {@code --no-expiry}, is left to expire),
 * while {@code --streams} SSE streams churn in batches of 50 (every {@code --churn-s} the oldest batch leaves
 * and a new one connects). Every {@code --sample-s} it prints the server's heap after a full GC, its RSS and
 * its open file descriptors, which must stay flat.
 *
 * <pre>
 * java -cp ticketing-examples/target/ticketing-example.jar io.ticketing.examples.load.SoakClient \
 *      --url http://127.0.0.1:8080 --duration-s 1800 --buyers 3 --streams 300
 * </pre>
 */
public final class SoakClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELLER = BenchmarkPrincipals.bearer(Role.SELLER, 1);
    private static final int BATCH = 50;

    private final String url;
    private final HttpClient rest;
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final boolean leaveToExpire;

    private SoakClient(String url, int buyers, boolean leaveToExpire) throws Exception {
        this.url = url;
        this.leaveToExpire = leaveToExpire;
        this.rest = new HttpClient();
        rest.setMaxConnectionsPerDestination(buyers + 4);
        rest.start();
    }

    @Command(name = "SoakClient", sortOptions = false, description = "A long steady load on a BenchmarkServer.")
    static final class Flags {
        @Option(names = "--url", description = "the server, http://127.0.0.1:<port>; default http://127.0.0.1:8080")
        String url = "http://127.0.0.1:8080";
        @Option(names = "--duration-s", description = "default 1800")
        int durationS = 1800;
        @Option(names = "--buyers", description = "reservation loops; default 3")
        int buyers = 3;
        @Option(names = "--streams", description = "SSE streams kept open; default 300")
        int streams = 300;
        @Option(names = "--churn-s", description = "seconds between replacing a batch of streams; default 5")
        int churnS = 5;
        @Option(names = "--sample-s", description = "seconds between samples of the server's memory; default 60")
        int sampleS = 60;
        @Option(names = "--no-expiry", description = "confirm or cancel every hold, for a server whose holds "
                + "outlast the run; default: leave some to expire")
        boolean noExpiry;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
        boolean help;
    }

    public static void main(String[] args) throws Exception {
        Flags flags = new Flags();
        if (!ToolFlags.parse(flags, args)) {
            return;
        }
        if (!flags.url.startsWith("http://127.0.0.1:")) {
            throw new IllegalArgumentException("--url must be http://127.0.0.1:<port>");
        }
        SoakClient soak = new SoakClient(flags.url, flags.buyers, !flags.noExpiry);
        try {
            soak.run(flags.durationS, flags.buyers, flags.streams, flags.churnS, flags.sampleS);
        } finally {
            soak.rest.stop();
        }
    }

    private void run(int durationS, int buyers, int streamCount, int churnS, int sampleS) throws Exception {
        long eventId = createEvent();
        URI server = URI.create(url);
        InetSocketAddress address = new InetSocketAddress(server.getHost(), server.getPort());
        String streamPath = "/api/events/" + eventId + "/stream";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(durationS);
        List<Thread> loops = new ArrayList<>();
        for (int b = 0; b < buyers; b++) {
            Thread loop = new Thread(() -> buyerLoop(eventId, deadline), "soak-buyer-" + b);
            loop.start();
            loops.add(loop);
        }
        Deque<SseLoadClient> batches = new ArrayDeque<>();
        LongAdder frames = new LongAdder();
        long pid = memory().get("pid").asLong();
        System.out.printf("SoakClient: event %d, %d buyers, %d streams churning every %d s, server pid %d, started %s%n",
                eventId, buyers, streamCount, churnS, pid, Instant.now());
        System.out.println("| minute | reservations | reserve+cancel /s | heap after GC (MB) | RSS (MB) | open fds | streams |");
        System.out.println("|---|---|---|---|---|---|---|");
        long started = System.nanoTime();
        long nextSample = started;
        long lastCount = 0;
        long lastSampleAt = started;
        for (int minute = 0; System.nanoTime() < deadline; ) {
            if (batches.size() * BATCH >= streamCount) {
                batches.poll().close();
            }
            batches.add(new SseLoadClient(address, streamPath, BATCH, (stream, id, event, nanos) -> frames.increment()));
            if (System.nanoTime() >= nextSample) {
                long count = sequence.get();
                long now = System.nanoTime();
                JsonNode memory = memory();
                System.out.printf("| %d | %,d | %,.0f | %.1f | %.1f | %d | %d |%n", minute, count,
                        (count - lastCount) / ((now - lastSampleAt) / 1e9 + 1e-9),
                        memory.get("heapUsed").asLong() / 1e6, memory.get("rssKb").asLong() / 1024.0,
                        openFiles(pid), batches.size() * BATCH);
                lastCount = count;
                lastSampleAt = now;
                nextSample += TimeUnit.SECONDS.toNanos(sampleS);
                minute += sampleS / 60;
            }
            TimeUnit.SECONDS.sleep(churnS); // the pace of the churn, not a wait for a result
        }
        for (Thread loop : loops) {
            loop.join();
        }
        batches.forEach(SseLoadClient::close);
        System.out.printf("done %s: %,d reservations, answers by status %s, %,d stream frames%n", Instant.now(),
                sequence.get(), statuses, frames.sum());
    }

    /** Reserve and cancel until the deadline; one in ten confirms and refunds, one in ten may expire. */
    private void buyerLoop(long eventId, long deadline) {
        while (System.nanoTime() < deadline) {
            long k = sequence.incrementAndGet();
            String buyer = BenchmarkPrincipals.bearer(Role.BUYER, 1 + k % 1000);
            try {
                String key = k % 10 == 5 ? "soak-" + k : null;
                ContentResponse held = post("/api/events/" + eventId + "/reservations", buyer,
                        "{\"section\":\"A\",\"subsection\":1,\"quantity\":1}", key);
                if (held.getStatus() != 201 || key != null && leaveToExpire) {
                    continue;
                }
                String id = JSON.readTree(held.getContent()).get("id").asText();
                if (k % 10 == 0) {
                    post("/api/reservations/" + id + "/confirm", buyer, "{\"paymentReference\":\"p-" + k + "\"}", null);
                }
                post("/api/reservations/" + id + "/cancel", buyer, "{}", null);
            } catch (Exception e) {
                statuses.computeIfAbsent(0, s -> new LongAdder()).increment();
            }
        }
    }

    private ContentResponse post(String path, String bearer, String body, String idempotencyKey) throws Exception {
        ContentResponse response = rest.newRequest(url + path).method(HttpMethod.POST)
                .headers(h -> {
                    h.put(HttpHeader.AUTHORIZATION, bearer);
                    if (idempotencyKey != null) {
                        h.put("Idempotency-Key", idempotencyKey);
                    }
                })
                .body(new StringRequestContent("application/json", body)).timeout(30, TimeUnit.SECONDS).send();
        statuses.computeIfAbsent(response.getStatus(), s -> new LongAdder()).increment();
        return response;
    }

    private long createEvent() throws Exception {
        ContentResponse created = rest.newRequest(url + "/api/events").method(HttpMethod.POST)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, SELLER))
                .body(new StringRequestContent("application/json", "{\"name\":\"Soak\",\"seatingConfig\":{\"rows\":200,"
                        + "\"cols\":100,\"sections\":[{\"name\":\"A\",\"price\":1000,\"subsections\":1}]}}"))
                .timeout(30, TimeUnit.SECONDS).send();
        if (created.getStatus() != 201) {
            throw new IllegalStateException("creating the event failed: " + created.getContentAsString());
        }
        return JSON.readTree(created.getContent()).get("id").asLong();
    }

    private JsonNode memory() throws Exception {
        return JSON.readTree(rest.GET(url + "/bench/memory").getContent());
    }

    private static int openFiles(long pid) {
        String[] fds = new File("/proc/" + pid + "/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
