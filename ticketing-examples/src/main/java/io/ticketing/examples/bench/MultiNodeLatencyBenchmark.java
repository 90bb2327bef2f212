package io.ticketing.examples.bench;

import io.ticketing.core.TicketingException;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.StatisticsLookup;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.UserListener;
import io.ticketing.examples.ToolFlags;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cross-node delivery latency: two nodes sharing PostgreSQL and Redis, {@code --subscribers} SSE clients
 * streaming one event from node B, and a reservation of one seat on node A every {@code --interval-ms}.
 * Latency is from node A handing the committed snapshot to its broadcaster until an SSE client of node B
 * has read the {@code status_update} frame of that version (Redis, node B's fan-out, its SSE write and
 * the client's read included; the reservation's own transaction is not). Node A's publish times are
 * recorded by wrapping its broadcaster; the clients run in the same JVM, so one clock serves both ends.
 *
 * <pre>
 * java -cp ticketing-examples/target/ticketing-example.jar io.ticketing.examples.bench.MultiNodeLatencyBenchmark \
 *     --subscribers 1000 --interval-ms 50 --changes 600 --warmup 100
 * </pre>
 *
 * Other flags: {@code --jdbc-url} (default {@code jdbc:postgresql://127.0.0.1:5432/test}),
 * {@code --jdbc-user} ({@code postgres}), {@code --redis-url} ({@code redis://127.0.0.1:6379}). It works
 * in its own schema and channel prefix and drops the schema when done.
 */
public final class MultiNodeLatencyBenchmark {
    private MultiNodeLatencyBenchmark() {
    }

    @Command(name = "MultiNodeLatencyBenchmark", sortOptions = false,
            description = "Cross-node delivery latency of two nodes sharing PostgreSQL and Redis.")
    static final class Flags {
        @Option(names = "--subscribers", description = "SSE clients on node B; default 1000")
        int subscribers = 1000;
        @Option(names = "--interval-ms", description = "between two reservations on node A; default 50")
        int intervalMs = 50;
        @Option(names = "--changes", description = "changes measured; default 600")
        int changes = 600;
        @Option(names = "--warmup", description = "changes before measuring; default 100")
        int warmup = 100;
        @Option(names = "--jdbc-url", description = "default jdbc:postgresql://127.0.0.1:5432/test")
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/test";
        @Option(names = "--jdbc-user", description = "default postgres")
        String jdbcUser = "postgres";
        @Option(names = "--redis-url", description = "default redis://127.0.0.1:6379")
        URI redisUrl = URI.create("redis://127.0.0.1:6379");
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
        boolean help;
    }

    public static void main(String[] args) throws Exception {
        Flags flags = new Flags();
        if (!ToolFlags.parse(flags, args)) {
            return;
        }
        int subscribers = flags.subscribers;
        int intervalMillis = flags.intervalMs;
        int changes = flags.changes;
        int warmup = flags.warmup;
        String jdbcUrl = flags.jdbcUrl;
        String jdbcUser = flags.jdbcUser;
        URI redisUri = flags.redisUrl;

        Map<Long, Long> publishedAt = new ConcurrentHashMap<>();
        Recorder latencies = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
        Recorder redisHop = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
        LongAdder received = new LongAdder();
        AtomicLong measuringFromVersion = new AtomicLong(Long.MAX_VALUE);

        try (Deployment deployment = Deployment.create("bench_multinode", jdbcUrl, jdbcUser, redisUri);
             ClusterNode a = deployment.node("bench-a")
                     .broadcasterWrapper(redis -> new PublishTimer(redis, publishedAt)).start();
             ClusterNode b = deployment.node("bench-b").maxStreams(subscribers + 100).start()) {
            Waits.await("both broadcasters healthy", () -> a.redis().isHealthy() && b.redis().isHealthy());
            int rows = Math.max(1, (warmup + changes) / 50 + 1);
            long eventId = a.ticketing().events().create(User.seller(1), new EventDraft("Latency", null, null,
                    EventStatus.AVAILABLE, new SeatingConfig(rows, 50, List.of(new Section("A", 1000, 1))))).id();

            Subscription hop = b.ticketing().statistics().subscribe(eventId, statistics -> {
                Long sentAt = publishedAt.get(statistics.version());
                if (sentAt != null && statistics.version() >= measuringFromVersion.get()) {
                    redisHop.recordValue(System.nanoTime() - sentAt);
                }
            });
            AtomicInteger open = new AtomicInteger();
            SseLoadClient clients = new SseLoadClient(new InetSocketAddress("127.0.0.1", b.api().getPort()),
                    b.stream(eventId).getPath(), subscribers, (stream, version, event, nanos) -> {
                        if (event.equals("initial_status")) {
                            open.incrementAndGet();
                        } else if (event.equals("status_update")) {
                            Long sentAt = publishedAt.get(version);
                            if (sentAt != null && version >= measuringFromVersion.get()) {
                                latencies.recordValue(nanos - sentAt);
                                received.increment();
                            }
                        }
                    });
            Waits.await(subscribers + " streams open on node B", () -> open.get() == subscribers);
            System.out.printf("%d SSE clients streaming event %d from node B; node A reserves one seat every %d ms%n",
                    subscribers, eventId, intervalMillis);

            User buyer = User.buyer(7);
            long next = System.nanoTime();
            for (int i = 0; i < warmup + changes; i++) {
                if (i == warmup) {
                    measuringFromVersion.set(a.ticketing().statistics().current(eventId, buyer).version() + 1);
                    latencies.reset();
                    redisHop.reset();
                }
                next += TimeUnit.MILLISECONDS.toNanos(intervalMillis);
                try {
                    a.ticketing().reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 1), null, buyer);
                } catch (TicketingException e) {
                    System.err.println("reservation failed: " + e.getMessage());
                }
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
            long expected = (long) changes * subscribers;
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.sum() < expected && System.nanoTime() < settle) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }

            Histogram h = latencies.getIntervalHistogram();
            EventStatistics finalState = a.ticketing().statistics().current(eventId, buyer);
            System.out.printf("date %s, %d changes measured (%d warm-up), %d of %d deliveries, final version %d, %s%n",
                    Instant.now(), changes, warmup, h.getTotalCount(), expected, finalState.version(), LoadAverage.describe());
            System.out.printf("cross-node latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
            Histogram r = redisHop.getIntervalHistogram();
            System.out.printf("of which node A -> Redis -> node B listener: p50 %.2f  p99 %.2f  max %.2f ms (%d changes)%n",
                    ms(r.getValueAtPercentile(50)), ms(r.getValueAtPercentile(99)), ms(r.getMaxValue()), r.getTotalCount());
            clients.close();
            hop.close();
        }
    }


    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** Notes when each version is handed to the real broadcaster. */
    private record PublishTimer(StatisticsBroadcaster delegate, Map<Long, Long> publishedAt) implements StatisticsBroadcaster {
        @Override
        public void start(StatisticsLookup lookup) {
            delegate.start(lookup);
        }

        @Override
        public void publish(EventStatistics statistics) {
            publishedAt.put(statistics.version(), System.nanoTime());
            delegate.publish(statistics);
        }

        @Override
        public Subscription subscribe(long eventId, StatisticsListener listener) {
            return delegate.subscribe(eventId, listener);
        }

        @Override
        public void publish(UserUpdate update) {
            delegate.publish(update);
        }

        @Override
        public Subscription subscribe(User user, UserListener listener) {
            return delegate.subscribe(user, listener);
        }

        @Override
        public boolean isHealthy() {
            return delegate.isHealthy();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
