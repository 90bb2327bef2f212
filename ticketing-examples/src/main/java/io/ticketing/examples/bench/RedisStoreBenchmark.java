package io.ticketing.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.core.redis.RedisTicketStore;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.examples.ExampleConfig;
import io.ticketing.examples.ExampleServer;
import io.ticketing.examples.JwtTokens;
import io.ticketing.examples.ToolFlags;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.Jedis;

/**
 * The Redis store's speed (see docs/benchmarks.md, section "Redis store"):
 *
 * <ol>
 *   <li>creating a 1,000,000-seat event (1,000 × 1,000 × 1), three times;</li>
 *   <li>one hot event, {@code threads} client threads, each looping "reserve one best-available seat, then
 *       confirm it" for {@code seconds} after {@code warmup}: straight on the store ({@code store}), then
 *       over HTTP against two example-app nodes in this JVM sharing the store and Redis pub/sub
 *       ({@code http}), the threads alternating between the nodes;</li>
 *   <li>best available's cost: one thread, reserve {@code quantity} best-available seats then cancel them,
 *       in a subsection of about 20,000 seats of rows of 20, 200 and 1,000 seats, half of them taken at
 *       random; against reserving and cancelling one explicit seat.</li>
 * </ol>
 *
 * <p>Every key is under a prefix of its own ({@code bench-…:}), removed at the end. Arguments, all
 * optional, as {@code key=value}: {@code url} (default {@code redis://127.0.0.1:6379}), {@code threads} (8),
 * {@code seconds} (15), {@code warmup} (10), {@code parts} ({@code generation,store,http,best}).
 *
 * <pre>java -cp ticketing-examples/target/ticketing-example.jar io.ticketing.examples.bench.RedisStoreBenchmark url=redis://127.0.0.1:17020</pre>
 */
public final class RedisStoreBenchmark {
    private static final String SECRET = "redis-store-benchmark-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RedisStoreBenchmark() {
    }

    /** One loop of the reservation benchmark: reserve a seat and confirm it. */
    @FunctionalInterface
    private interface Loop {
        void reserveAndConfirm(int thread) throws Exception;
    }

    /** Arguments as {@code key=value}, each optional. */
    @Command(name = "RedisStoreBenchmark", sortOptions = false,
            description = "The Redis store's speed, under a key prefix of its own.")
    static final class Flags {
        @Option(names = "url", description = "default redis://127.0.0.1:6379")
        String url = "redis://127.0.0.1:6379";
        @Option(names = "threads", description = "client threads; default 8")
        int threads = 8;
        @Option(names = "seconds", description = "measured; default 15")
        int seconds = 15;
        @Option(names = "warmup", description = "seconds of warm-up; default 10")
        int warmup = 10;
        @Option(names = "parts", split = ",", description = "of generation,store,http,best; default all")
        List<String> parts = List.of("generation", "store", "http", "best");
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
        boolean help;
    }

    public static void main(String[] args) throws Exception {
        Flags flags = new Flags();
        if (!ToolFlags.parse(flags, args)) {
            return;
        }
        String url = flags.url;
        int threads = flags.threads;
        int seconds = flags.seconds;
        int warmup = flags.warmup;
        List<String> parts = flags.parts;
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        System.out.printf(Locale.ROOT, "Redis store benchmark: %s, prefix %s, %d threads, %d s (+%d s warm-up)%n",
                url, prefix, threads, seconds, warmup);
        try (RedisTicketStore store = RedisTicketStore.builder(url).keyPrefix(prefix).maxConnections(threads + 4).build()) {
            List<Long> events = new ArrayList<>();
            try {
                if (parts.contains("generation")) {
                    generation(store, events);
                }
                if (parts.contains("store")) {
                    Event hot = hotEvent(store, events);
                    measure("store", hot, store, threads, seconds, warmup, new CpuCost(url), t -> {
                        Instant now = Instant.now();
                        Reservation r = store.reserve(new ReserveCommand.BestAvailable(null, hot.id(), 100 + t,
                                "A", 1 + ThreadLocalRandom.current().nextInt(20), 1, null, now, now.plusSeconds(600)))
                                .reservation();
                        store.confirm(r.id(), "bench", now);
                    });
                }
                if (parts.contains("http")) {
                    http(url, threads, seconds, warmup);
                }
                if (parts.contains("best")) {
                    bestAvailable(store, events);
                }
            } finally {
                for (long id : events) {
                    store.deleteEvent(id);
                }
            }
        }
    }

    private static void generation(RedisTicketStore store, List<Long> events) {
        for (int run = 1; run <= 3; run++) {
            long start = System.nanoTime();
            Event e = store.createEvent(new NewEvent(new EventDraft("generation", null, null, EventStatus.AVAILABLE,
                    new SeatingConfig(1000, 1000, List.of(new Section("A", 1000, 1)))), 1, Instant.now()));
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf(Locale.ROOT, "create 1,000,000 seats, run %d: %8.1f ms%n", run, ms);
            long del = System.nanoTime();
            store.deleteEvent(e.id());
            System.out.printf(Locale.ROOT, "delete 1,000,000 seats, run %d: %8.1f ms%n", run, (System.nanoTime() - del) / 1e6);
        }
    }

    /** 200,000 seats in 20 subsections, like the PostgreSQL benchmark's: enough that a run never sells out. */
    private static Event hotEvent(RedisTicketStore store, List<Long> events) {
        Event hot = store.createEvent(new NewEvent(new EventDraft("hot event", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(100, 100, List.of(new Section("A", 2500, 20)))), 1, Instant.now()));
        events.add(hot.id());
        return hot;
    }

    private static void measure(String label, Event hot, RedisTicketStore store, int threads, int seconds, int warmup,
                                CpuCost cpu, Loop loop) throws InterruptedException {
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        Recorder latency = new Recorder(3);
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch finished = new CountDownLatch(threads);
        Thread marker = new Thread(() -> {
            LockSupport.parkNanos(warmupEnd - System.nanoTime());
            cpu.start();
        }, "bench-cpu-marker");
        marker.start();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long begin = System.nanoTime();
                        try {
                            loop.reserveAndConfirm(thread);
                        } catch (Exception e) {
                            failed.increment();
                            continue;
                        }
                        if (begin >= warmupEnd) {
                            done.increment();
                            latency.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - begin));
                        }
                    }
                } finally {
                    finished.countDown();
                }
            }, "bench-buyer-" + t).start();
        }
        finished.await();
        cpu.stop(done.sum());
        Histogram h = latency.getIntervalHistogram();
        EventStatistics stats = store.statistics(hot.id()).orElseThrow();
        System.out.printf(Locale.ROOT, "reserve+confirm via %-5s %8.0f reservations/s  (%,d in %d s, %d failed; "
                        + "latency p50 %.2f ms, p99 %.2f ms; event version %d, confirmed %d)%n",
                label, done.sum() / (double) seconds, done.sum(), seconds, failed.sum(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, stats.version(),
                stats.confirmedTickets());
        System.out.println("  " + cpu.report());
    }

    /**
     * CPU per reservation over the measured part: this JVM's (client, and the nodes for {@code http}) and, on one
     * Redis server, the server's ({@code INFO cpu}) and its scripts' time ({@code INFO commandstats}).
     */
    private static final class CpuCost {
        private final RedisEndpointInfo redis;
        private long jvmStart;
        private double[] redisStart;
        private String report = "no measurement";

        CpuCost(String url) {
            this.redis = url.startsWith("redis://") ? new RedisEndpointInfo(URI.create(url)) : null;
        }

        void start() {
            jvmStart = jvmCpuNanos();
            redisStart = redis == null ? null : redis.sample();
        }

        void stop(long reservations) {
            double n = Math.max(1, reservations);
            StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "CPU per reservation: this JVM %.0f µs",
                    (jvmCpuNanos() - jvmStart) / 1e3 / n));
            if (redisStart != null) {
                double[] now = redis.sample();
                r.append(String.format(Locale.ROOT, "; Redis server %.0f µs, of which scripts %.0f µs (%.0f calls, %.1f µs each)",
                        (now[0] - redisStart[0]) * 1e6 / n, (now[2] - redisStart[2]) / n, (now[1] - redisStart[1]),
                        (now[2] - redisStart[2]) / Math.max(1, now[1] - redisStart[1])));
            }
            report = r.toString();
        }

        String report() {
            return report;
        }

        private static long jvmCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /** Reads a Redis server's CPU seconds, and its EVALSHA calls and microseconds, from INFO. */
    private record RedisEndpointInfo(URI uri) {
        double[] sample() {
            try (Jedis jedis = new Jedis(uri)) {
                double cpu = 0;
                for (String line : jedis.info("cpu").split("\r?\n")) {
                    if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                        cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1));
                    }
                }
                double calls = 0;
                double usec = 0;
                for (String line : jedis.info("commandstats").split("\r?\n")) {
                    if (line.startsWith("cmdstat_evalsha:")) {
                        for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                            if (field.startsWith("calls=")) {
                                calls = Double.parseDouble(field.substring(6));
                            } else if (field.startsWith("usec=")) {
                                usec = Double.parseDouble(field.substring(5));
                            }
                        }
                    }
                }
                return new double[] {cpu, calls, usec};
            }
        }
    }

    /** Two example-app nodes in this JVM on the store's Redis (store and pub/sub), the threads alternating. */
    private static void http(String url, int threads, int seconds, int warmup) throws Exception {
        // the nodes use the store's default prefix; the hot event is created through them and deleted at the end
        List<String> flags = List.of("--host", "127.0.0.1", "--port", "0", "--redis-store-url", url, "--redis-url",
                url.startsWith("redis-cluster") ? "redis://127.0.0.1:6379" : url, "--jwt-secret", SECRET);
        JwtTokens tokens = new JwtTokens(SECRET);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ExampleServer one = ExampleServer.start(ExampleConfig.parse(flags, Map.of()));
             ExampleServer two = ExampleServer.start(ExampleConfig.parse(flags, Map.of()));
             RedisTicketStore nodesStore = RedisTicketStore.builder(url).build()) {
            List<URI> nodes = List.of(one.uri(), two.uri());
            String seller = tokens.issue(User.seller(1), Duration.ofHours(1));
            JsonNode created = send(client, nodes.get(0), "/api/events", seller, JSON.writeValueAsString(Map.of(
                    "name", "hot event", "seatingConfig", Map.of("rows", 100, "cols", 100,
                            "sections", List.of(Map.of("name", "A", "price", 2500, "subsections", 20))))));
            long id = created.get("id").asLong();
            Event hot = nodesStore.findEvent(id).orElseThrow();
            List<String> buyers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                buyers.add(tokens.issue(User.buyer(100 + t), Duration.ofHours(1)));
            }
            try {
                measure("http", hot, nodesStore, threads, seconds, warmup, new CpuCost(url), t -> {
                    URI node = nodes.get(t % 2);
                    String body = "{\"section\":\"A\",\"subsection\":" + (1 + t % 20) + ",\"quantity\":1}";
                    String rid = send(client, node, "/api/events/" + id + "/reservations", buyers.get(t), body)
                            .get("id").asText();
                    send(client, node, "/api/reservations/" + rid + "/confirm", buyers.get(t), "{}");
                });
            } finally {
                nodesStore.deleteEvent(id);
            }
        }
    }

    private static JsonNode send(HttpClient client, URI node, String path, String token, String body) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(node.resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Microseconds per reserve + cancel of {@code quantity} best-available seats, in a subsection of about
     * 20,000 seats of rows of {@code width}, half taken at random first.
     */
    private static void bestAvailable(RedisTicketStore store, List<Long> events) {
        int iterations = 2_000;
        System.out.println("best available: µs per reserve + cancel, one thread, subsection of ~20,000 seats half taken");
        for (int width : new int[] {20, 200, 1000}) {
            Event e = store.createEvent(new NewEvent(new EventDraft("best " + width, null, null, EventStatus.AVAILABLE,
                    new SeatingConfig(20_000 / width, width, List.of(new Section("A", 1000, 1)))), 1, Instant.now()));
            events.add(e.id());
            fillHalf(store, e, new Random(width));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  row of %4d seats:", width));
            long explicit = timed(iterations, () -> reserveAndCancel(store, e.id(), null, 0));
            line.append(String.format(Locale.ROOT, "  explicit 1 seat %6.1f", explicit / 1e3 / iterations));
            for (int quantity : new int[] {1, 4, 10}) {
                long nanos = timed(iterations, () -> reserveAndCancel(store, e.id(), "A", quantity));
                line.append(String.format(Locale.ROOT, "  best %2d %6.1f", quantity, nanos / 1e3 / iterations));
            }
            System.out.println(line);
        }
    }

    /** Takes a random half of the event's seats, 50 per reservation. */
    private static void fillHalf(RedisTicketStore store, Event e, Random random) {
        SeatingConfig c = e.seatingConfig();
        List<SeatRef> all = new ArrayList<>();
        for (int row = 1; row <= c.rows(); row++) {
            for (int seat = 1; seat <= c.cols(); seat++) {
                all.add(new SeatRef("A", 1, row, seat));
            }
        }
        Collections.shuffle(all, random);
        Instant now = Instant.now();
        for (int from = 0; from < all.size() / 2; from += 50) {
            store.reserve(new ReserveCommand.Seats(null, e.id(), 1, all.subList(from, Math.min(from + 50,
                    all.size() / 2)), null, now, now.plusSeconds(3600)));
        }
    }

    /** One explicit seat (the first seat found free) when {@code section} is null, else best available. */
    private static void reserveAndCancel(RedisTicketStore store, long eventId, String section, int quantity) {
        Instant now = Instant.now();
        ReserveCommand command = section == null
                ? new ReserveCommand.Seats(null, eventId, 2, List.of(firstFree(store, eventId)), null, now,
                        now.plusSeconds(600))
                : new ReserveCommand.BestAvailable(null, eventId, 2, section, 1, quantity, null, now,
                        now.plusSeconds(600));
        store.cancel(store.reserve(command).reservation().id(), now);
    }

    private static final Map<Long, SeatRef> FREE = new HashMap<>();

    private static SeatRef firstFree(RedisTicketStore store, long eventId) {
        return FREE.computeIfAbsent(eventId, id -> store.seats(id, "A", 1).stream()
                .filter(s -> s.status() == SeatStatus.AVAILABLE).findFirst()
                .map(s -> new SeatRef("A", 1, s.row(), s.seat())).orElseThrow());
    }

    private static long timed(int iterations, Runnable op) {
        for (int i = 0; i < iterations / 4; i++) {
            op.run(); // warm-up
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            op.run();
        }
        return System.nanoTime() - start;
    }
}
