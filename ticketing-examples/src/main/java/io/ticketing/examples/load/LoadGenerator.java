package io.ticketing.examples.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.model.Role;
import io.ticketing.examples.ToolFlags;
import io.ticketing.examples.bench.SseLoadClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load generator for the HTTP and SSE layer, against a {@link BenchmarkServer} in another process on this
 * machine. Opens {@code --streams} SSE streams of one event, one after another, and reads them all on one
 * NIO thread ({@link SseLoadClient}); sends its REST requests with Jetty's client. Then runs one scenario
 * and prints a report:
 *
 * <ul>
 *   <li>{@code idle}: holds the streams for {@code --duration-s}; reports the server's RSS per stream;</li>
 *   <li>{@code flat}: {@code --concurrency} reservation loops as fast as the server answers, first for
 *       {@code --warmup-s} (default 5, not counted: the server's JIT compiles the path meanwhile), then
 *       for {@code --duration-s}; reports accepted reservations/s, deliveries/s and whether every
 *       subscriber's last snapshot equals the final statistics;</li>
 *   <li>{@code noop}: the same loops, warm-up included, against {@code POST /bench/noop}, the trivial
 *       baseline;</li>
 *   <li>{@code compare}: both in one server, so that the machine's drift from minute to minute does not
 *       land between them: a warm-up of both, then {@code --rounds} rounds of a {@code flat} phase between
 *       two {@code noop} phases (consecutive rounds share one), each {@code --duration-s}; reports each
 *       flat phase's rate against the mean of the two around it, and the median of those shares.</li>
 * </ul>
 *
 * <p>Delivery latency is not measured here: reading thousands of streams and timing each frame on this
 * generator's one thread, on the server's machine, measured the generator as much as the server. The
 * neutral SSE client that docs/benchmarks.md names ({@code sse-load}, "Fan-out pipeline") measures it.
 *
 * <pre>
 * java -cp ticketing-examples/target/ticketing-example.jar io.ticketing.examples.load.LoadGenerator \
 *      --url http://127.0.0.1:8080 --scenario compare --streams 1000 --duration-s 10
 * </pre>
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELLER = BenchmarkPrincipals.bearer(Role.SELLER, 1);
    private static final String NOOP_PATH = "/bench/noop";

    private final Options options;
    private final Layout layout;
    private final HttpClient rest;
    private SseLoadClient streams;
    private final Histogram connectTimes = new Histogram(3);
    private final LongAdder deliveries = new LongAdder();
    /** When the measured part of the scenario began (after any warm-up). */
    private long measuredFrom;
    private final List<SseProbe> probes = new ArrayList<>();

    /** The benchmark event: {@code sections × subsections} blocks of {@code rows × cols} seats. */
    record Layout(int sections, int subsections, int rows, int cols) {
    }

    record Options(String url, String scenario, int streams, int durationS, int concurrency, int warmupS,
                   int rounds) {
        /** The options of {@code args}, or null after printing the usage text if they ask for it. */
        static Options parse(String[] args) {
            Flags flags = new Flags();
            if (!ToolFlags.parse(flags, args)) {
                return null;
            }
            String url = flags.url;
            String scenario = flags.scenario;
            int rounds = flags.rounds;
            if (!List.of("idle", "flat", "noop", "compare").contains(scenario)) {
                throw new IllegalArgumentException("--scenario must be idle, flat, noop or compare (delivery latency:"
                        + " see docs/benchmarks.md, \"Fan-out pipeline\")");
            }
            if (rounds < 1 || rounds > 20) {
                throw new IllegalArgumentException("--rounds must be between 1 and 20");
            }
            if (!url.startsWith("http://127.0.0.1:") && !url.startsWith("http://localhost:")) {
                throw new IllegalArgumentException("--url must be a loopback address");
            }
            return new Options(url, scenario, flags.streams, Math.min(flags.durationS, 600), flags.concurrency,
                    Math.min(flags.warmupS, 600), rounds);
        }

        boolean flatOut() {
            return scenario.equals("flat") || scenario.equals("noop") || scenario.equals("compare");
        }

        boolean reservesFlatOut() {
            return scenario.equals("flat") || scenario.equals("compare");
        }
    }

    @Command(name = "LoadGenerator", sortOptions = false, description = "Load on a BenchmarkServer over loopback.")
    static final class Flags {
        @Option(names = "--url", description = "the server, on 127.0.0.1 or localhost; default http://127.0.0.1:8080")
        String url = "http://127.0.0.1:8080";
        @Option(names = "--scenario", description = "idle, flat, noop or compare; default idle")
        String scenario = "idle";
        @Option(names = "--streams", description = "SSE streams to open; default 1000")
        int streams = 1000;
        @Option(names = "--duration-s", description = "seconds measured, at most 600; default 10")
        int durationS = 10;
        @Option(names = "--concurrency", description = "request loops; default 16")
        int concurrency = 16;
        @Option(names = "--warmup-s", description = "seconds of warm-up, at most 600; default 5")
        int warmupS = 5;
        @Option(names = "--rounds", description = "rounds of compare, 1..20; default 3")
        int rounds = 3;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
        boolean help;
    }

    private LoadGenerator(Options options) throws Exception {
        this.options = options;
        // Idle: 8 subsections, a snapshot of about 1 KB. Flat out: 100 subsections (a snapshot of about
        // 12 KB) of 1,000,000 seats, the most an event may have: room for 5 rounds of compare at 17,000
        // reservations a second (a flat phase that sells out reports its 409s).
        this.layout = options.flatOut() ? new Layout(10, 10, 400, 25) : new Layout(4, 2, 10, 25);
        this.rest = client("rest", options.concurrency() + 8, 4);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        LoadGenerator generator = new LoadGenerator(options);
        try {
            generator.run();
        } finally {
            generator.rest.stop();
            if (generator.streams != null) {
                generator.streams.close();
            }
        }
    }

    private static HttpClient client(String name, int maxConnections, int threads) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(threads, 1);
        pool.setName("load-" + name);
        HttpClient client = new HttpClient();
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(maxConnections);
        client.setMaxRequestsQueuedPerDestination(maxConnections * 2);
        client.setIdleTimeout(Duration.ofMinutes(10).toMillis());
        client.setConnectTimeout(Duration.ofSeconds(30).toMillis());
        client.start();
        return client;
    }

    private void run() throws Exception {
        System.out.printf("%s scenario %s, %d streams, started %s%n", getClass().getSimpleName(), options.scenario(),
                options.streams(), Instant.now());
        JsonNode before = memory();
        long pid = before.get("pid").asLong();
        long eventId = createEvent();
        openStreams(eventId);
        JsonNode opened = memory();
        printStreamCost(pid, before, opened);
        measuredFrom = System.nanoTime();
        switch (options.scenario()) {
            case "idle" -> idle(pid, before);
            case "compare" -> compare(eventId);
            default -> flat(eventId, options.scenario().equals("noop"));
        }
        double seconds = (System.nanoTime() - measuredFrom) / 1e9;
        System.out.printf("deliveries: %d status_update events in %.1f s = %.0f/s%n", deliveries.sum(), seconds,
                deliveries.sum() / seconds);
        JsonNode after = memory();
        System.out.printf("server heap used after GC: %.1f MB before streams, %.1f MB with streams open, %.1f MB at end%n",
                before.get("heapUsed").asLong() / 1e6, opened.get("heapUsed").asLong() / 1e6,
                after.get("heapUsed").asLong() / 1e6);
    }

    private long createEvent() throws Exception {
        String body = "{\"name\":\"Load\",\"seatingConfig\":{\"rows\":" + layout.rows() + ",\"cols\":" + layout.cols()
                + ",\"sections\":" + sections(layout.sections(), layout.subsections()) + "}}";
        ContentResponse created = rest.newRequest(options.url() + "/api/events").method(HttpMethod.POST)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, SELLER))
                .body(new StringRequestContent("application/json", body)).timeout(30, TimeUnit.SECONDS).send();
        if (created.getStatus() != 201) {
            throw new IllegalStateException("creating the event failed: " + created.getContentAsString());
        }
        return JSON.readTree(created.getContent()).get("id").asLong();
    }

    private static String sections(int count, int subsections) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add("{\"name\":\"S" + i + "\",\"price\":1000,\"subsections\":" + subsections + "}");
        }
        return "[" + String.join(",", list) + "]";
    }

    private void openStreams(long eventId) throws Exception {
        CountDownLatch initial = new CountDownLatch(options.streams());
        long started = System.nanoTime();
        for (int i = 0; i < options.streams(); i++) {
            probes.add(new SseProbe(this::delivered, initial, options.reservesFlatOut()));
        }
        URI server = URI.create(options.url());
        streams = new SseLoadClient(new InetSocketAddress(server.getHost(), server.getPort()),
                server.getPath().replaceAll("/$", "") + "/api/events/" + eventId + "/stream", probes);
        boolean all = initial.await(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        long failedCount = probes.stream().filter(p -> p.failed).count();
        probes.stream().filter(p -> p.connectNanos > 0).forEach(p -> connectTimes.recordValue(p.connectNanos / 1000));
        System.out.printf("opened %d streams in %.1f s (%d failed%s); connect time (request to response head) "
                        + "p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", options.streams() - failedCount, seconds, failedCount,
                all ? "" : ", some never got initial_status", connectTimes.getValueAtPercentile(50) / 1000.0,
                connectTimes.getValueAtPercentile(99) / 1000.0, connectTimes.getMaxValue() / 1000.0);
    }

    private void printStreamCost(long pid, JsonNode before, JsonNode opened) throws IOException {
        long rssBefore = before.get("rssKb").asLong();
        long rssNow = rssKb(pid);
        System.out.printf("server RSS (/proc/%d/status): %.1f MB before streams, %.1f MB with %d open: "
                        + "+%.1f MB, %.1f KB per stream; heap after GC +%.1f MB (%.2f KB per stream)%n",
                pid, rssBefore / 1024.0, rssNow / 1024.0, options.streams(), (rssNow - rssBefore) / 1024.0,
                (rssNow - rssBefore) / (double) options.streams(),
                (opened.get("heapUsed").asLong() - before.get("heapUsed").asLong()) / 1e6,
                (opened.get("heapUsed").asLong() - before.get("heapUsed").asLong()) / 1024.0 / options.streams());
    }

    private void idle(long pid, JsonNode before) throws Exception {
        Thread.sleep(options.durationS() * 1000L);
        long rss = rssKb(pid);
        JsonNode stats = JSON.readTree(rest.GET(options.url() + "/api/stream/stats").getContent());
        System.out.printf("after %d s idle: server reports %d connections; RSS %.1f MB: %.1f KB per stream%n",
                options.durationS(), stats.get("connections").asInt(), rss / 1024.0,
                (rss - before.get("rssKb").asLong()) / (double) options.streams());
    }

    private void flat(long eventId, boolean noop) throws Exception {
        String path = noop ? NOOP_PATH : reservationsPath(eventId);
        AtomicLong sequence = new AtomicLong();
        if (options.warmupS() > 0) { // the same loops first, so that the JIT has compiled the path measured
            phase(path, options.warmupS(), sequence);
            deliveries.reset();
            measuredFrom = System.nanoTime();
        }
        printPhase(noop ? "noop baseline" : "reservations", phase(path, options.durationS(), sequence));
        if (!noop) {
            checkLastSnapshots(eventId);
        }
    }

    /**
     * Flat out against the trivial endpoint and against reservations in turns, on one server with the same
     * streams open: noop, then per round flat and noop again. Each flat phase is compared with the mean of
     * the noop phases before and after it, which cancels a drift of the machine's speed that is steady over
     * the round; the median over the rounds is the figure to quote.
     */
    private void compare(long eventId) throws Exception {
        String reserve = reservationsPath(eventId);
        AtomicLong sequence = new AtomicLong();
        if (options.warmupS() > 0) { // both paths, so that the JIT has compiled each before any is measured
            phase(NOOP_PATH, Math.max(1, options.warmupS() / 2), sequence);
            phase(reserve, Math.max(1, options.warmupS() - options.warmupS() / 2), sequence);
            awaitConvergence(eventId);
        }
        Phase before = printPhase("noop", phase(NOOP_PATH, options.durationS(), sequence));
        List<Double> shares = new ArrayList<>();
        long deliveredFlat = 0;
        double secondsFlat = 0;
        for (int round = 1; round <= options.rounds(); round++) {
            long deliveredBefore = deliveries.sum();
            Phase flat = printPhase("reservations", phase(reserve, options.durationS(), sequence));
            long delivered = deliveries.sum() - deliveredBefore;
            checkLastSnapshots(eventId);
            deliveredFlat += delivered;
            secondsFlat += flat.seconds();
            Phase after = printPhase("noop", phase(NOOP_PATH, options.durationS(), sequence));
            if (flat.rejected() > 0) {
                System.out.printf("warning: the event sold out in round %d, so its share understates the buyers%n",
                        round);
            }
            double share = flat.rate() / ((before.rate() + after.rate()) / 2);
            shares.add(share);
            System.out.printf("round %d: %.0f reservations/s against %.0f and %.0f noop/s: %.1f %%, %.0f deliveries/s%n",
                    round, flat.rate(), before.rate(), after.rate(), 100 * share, delivered / flat.seconds());
            before = after;
        }
        List<Double> sorted = shares.stream().sorted().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf("reservations/s as a share of noop/s on the same server: median %.1f %% over %d rounds "
                        + "(min %.1f %%, max %.1f %%); %.0f deliveries/s while reserving%n", 100 * median, shares.size(),
                100 * sorted.get(0), 100 * sorted.get(sorted.size() - 1), deliveredFlat / secondsFlat);
    }

    private Phase printPhase(String name, Phase phase) {
        System.out.printf("%s: %d loops for %.1f s: %d accepted (%.0f/s), %d rejected (409), %d errors%n", name,
                options.concurrency(), phase.seconds(), phase.accepted(), phase.rate(), phase.rejected(), phase.errors());
        return phase;
    }

    private static String reservationsPath(long eventId) {
        return "/api/events/" + eventId + "/reservations";
    }

    /** Waits for the streams to catch up, then checks each subscriber's last snapshot against the event's. */
    private void checkLastSnapshots(long eventId) throws Exception {
        long finalVersion = awaitConvergence(eventId);
        JsonNode statistics = JSON.readTree(rest.GET(options.url() + "/api/events/" + eventId).getContent())
                .get("statistics");
        int remaining = statistics.get("remainingTickets").asInt();
        long equal = 0;
        for (SseProbe p : probes) {
            String data = p.lastData();
            if (p.lastVersion == finalVersion && data != null
                    && JSON.readTree(data).get("remainingTickets").asInt() == remaining) {
                equal++;
            }
        }
        System.out.printf("final statistics v%d, %d remaining: %d of %d subscribers' last snapshot equals it%n",
                finalVersion, remaining, equal, probes.size());
    }

    /** What one phase of request loops achieved. */
    private record Phase(long accepted, long rejected, long errors, double seconds) {
        double rate() {
            return accepted / seconds;
        }
    }

    /** Runs {@code --concurrency} request loops against {@code path} for {@code durationS} seconds. */
    private Phase phase(String path, int durationS, AtomicLong sequence) throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        runLoops(path, durationS, sequence, accepted, rejected, errors);
        return new Phase(accepted.get(), rejected.get(), errors.get(), (System.nanoTime() - start) / 1e9);
    }

    /** Runs {@code --concurrency} request loops for {@code durationS} seconds and waits for them to end. */
    private void runLoops(String path, int durationS, AtomicLong sequence, AtomicLong accepted, AtomicLong rejected,
                          AtomicLong errors) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(durationS);
        CountDownLatch loops = new CountDownLatch(options.concurrency());
        for (int i = 0; i < options.concurrency(); i++) {
            loop(path, deadline, sequence, accepted, rejected, errors, loops);
        }
        loops.await(durationS + 60L, TimeUnit.SECONDS);
    }

    /** One request loop: sends the next request when the previous one is answered, until the deadline. */
    private void loop(String path, long deadline, AtomicLong sequence, AtomicLong accepted, AtomicLong rejected,
                      AtomicLong errors, CountDownLatch loops) {
        if (System.nanoTime() >= deadline) {
            loops.countDown();
            return;
        }
        long k = sequence.getAndIncrement();
        request(path, k).send(result -> {
            int status = result.isFailed() ? 0 : result.getResponse().getStatus();
            (status == 201 ? accepted : status == 409 ? rejected : errors).incrementAndGet();
            loop(path, deadline, sequence, accepted, rejected, errors, loops);
        });
    }

    /** Reservation {@code k}: one best-available seat in a rotating subsection, by a rotating buyer. */
    private org.eclipse.jetty.client.Request request(String path, long k) {
        int section = (int) (k % layout.sections());
        int subsection = 1 + (int) ((k / layout.sections()) % layout.subsections());
        String body = "{\"section\":\"S" + section + "\",\"subsection\":" + subsection + ",\"quantity\":1}";
        String buyer = BenchmarkPrincipals.bearer(Role.BUYER, 1 + k % 1000);
        return rest.newRequest(options.url() + path).method(HttpMethod.POST)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, buyer))
                .body(new StringRequestContent("application/json", body));
    }

    /** Waits (up to 30 s) until every open stream has the event's current version; returns that version. */
    private long awaitConvergence(long eventId) throws Exception {
        long version = JSON.readTree(rest.GET(options.url() + "/api/events/" + eventId).getContent())
                .at("/statistics/version").asLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline
                && probes.stream().anyMatch(p -> !p.failed && p.lastVersion < version)) {
            Thread.sleep(50);
        }
        long behind = probes.stream().filter(p -> !p.failed && p.lastVersion < version).count();
        System.out.printf("converged on v%d: %d of %d streams behind after waiting%n", version, behind, probes.size());
        return version;
    }

    private void delivered(long version) {
        deliveries.increment();
    }

    private JsonNode memory() throws Exception {
        return JSON.readTree(rest.GET(options.url() + "/bench/memory").getContent());
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
