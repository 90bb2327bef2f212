package io.ticketing.examples.bench;

import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.core.redis.RedisStatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import io.ticketing.examples.ToolFlags;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.Jedis;

/**
 * What another node learns of a hot event's changes over the Redis broadcaster: two nodes (two
 * {@code Ticketing}s, each with its own {@link RedisStatisticsBroadcaster}) share one in-memory store, node A
 * reserves and cancels single seats at {@code --rate} changes a second (0: flat out) from {@code --threads}
 * threads for {@code --seconds}, and a listener on node B counts what arrives: snapshots, those with their seat
 * changes, and gaps in versions. A gap is what makes a node's seat-map streams re-read the store.
 *
 * <pre>
 * java -cp ticketing-examples/target/ticketing-example.jar io.ticketing.examples.bench.CrossNodeChangesBenchmark \
 *     --rate 5000 --seconds 10
 * </pre>
 */
public final class CrossNodeChangesBenchmark {
    private CrossNodeChangesBenchmark() {
    }

    @Command(name = "CrossNodeChangesBenchmark", sortOptions = false,
            description = "A hot event's changes on node A as node B's listener receives them over Redis.")
    static final class Flags {
        @Option(names = "--rate", description = "changes a second on node A, over all threads; 0 = flat out; default 5000")
        int rate = 5000;
        @Option(names = "--threads", description = "threads changing the event on node A; default 2")
        int threads = 2;
        @Option(names = "--seconds", description = "how long node A changes the event, measured; default 10")
        int seconds = 10;
        @Option(names = "--warmup", description = "seconds of the same load before, not measured; default 5")
        int warmup = 5;
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
        String prefix = "bench-cross-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        InMemoryTicketStore store = InMemoryTicketStore.builder().maxReservations(40_000_000).build();
        Arrival onB = new Arrival();
        try (Ticketing a = node(store, flags.redisUrl, prefix, "bench-a");
             Ticketing b = node(store, flags.redisUrl, prefix, "bench-b")) {
            Waits.await("both broadcasters healthy", () -> a.isBroadcasterHealthy() && b.isBroadcasterHealthy());
            long eventId = a.events().create(User.seller(1), new EventDraft("Cross", null, null, EventStatus.AVAILABLE,
                    new SeatingConfig(10, 10, List.of(new Section("A", 1000, 1))))).id();
            try (Subscription ignored = b.statistics().subscribe(eventId, onB)) {
                churn(a, eventId, flags, flags.warmup);
                long warm = a.statistics().current(eventId, User.seller(1)).version();
                Waits.await("node B's listener at the last version of the warm-up", () -> onB.newest >= warm);
                onB.reset();
                long first = a.statistics().current(eventId, User.seller(1)).version();
                long start = System.nanoTime();
                long jvmCpu = jvmCpuNanos();
                double redisCpu = redisCpuSeconds(flags.redisUrl);
                churn(a, eventId, flags, flags.seconds);
                double elapsed = (System.nanoTime() - start) / 1e9;
                long last = a.statistics().current(eventId, User.seller(1)).version();
                Waits.await("node B's listener at the last version", () -> onB.newest >= last);
                double jvmSeconds = (jvmCpuNanos() - jvmCpu) / 1e9;
                double redisSeconds = redisCpuSeconds(flags.redisUrl) - redisCpu;
                long changes = last - first;
                System.out.printf("%s rate %s, %d threads: %,d changes on node A in %.1f s (%,.0f/s); node B got %,d"
                                + " snapshots (%.1f %% of the changes), %,d with their seat changes, %,d gaps in versions"
                                + " (re-reads of a seat-map stream, %.1f/s); CPU per change: both nodes %.1f µs,"
                                + " Redis %.1f µs; %s%n",
                        java.time.Instant.now(), flags.rate == 0 ? "flat out" : String.format("%,d/s", flags.rate),
                        flags.threads, changes, elapsed, changes / elapsed, onB.snapshots.sum(),
                        100.0 * onB.snapshots.sum() / changes, onB.withSeats.sum(), onB.gaps.sum(),
                        onB.gaps.sum() / elapsed, jvmSeconds * 1e6 / changes, redisSeconds * 1e6 / changes,
                        LoadAverage.describe());
            }
        }
    }

    private static Ticketing node(InMemoryTicketStore store, URI redisUrl, String prefix, String name) {
        return Ticketing.builder().store(store).broadcaster(RedisStatisticsBroadcaster.builder().redisUri(redisUrl)
                .channelPrefix(prefix).clientName(name).build()).build();
    }

    /** Changes the event from {@code --threads} threads for {@code seconds}. */
    private static void churn(Ticketing a, long eventId, Flags flags, int seconds) throws InterruptedException {
        Thread[] workers = new Thread[flags.threads];
        for (int t = 0; t < workers.length; t++) {
            int n = t;
            workers[t] = new Thread(() -> churn(a, eventId, n, flags, seconds), "churn-" + t);
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
    }

    /** Reserves and cancels this thread's own seat, each a change, paced to its share of the rate. */
    private static void churn(Ticketing a, long eventId, int n, Flags flags, int seconds) {
        User buyer = User.buyer(1000 + n);
        ReservationRequest seat = ReservationRequest.seats(new SeatRef("A", 1, 1 + n / 10, 1 + n % 10));
        long interval = flags.rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(2L * flags.threads) / flags.rate;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            String id = a.reservations().reserve(eventId, seat, null, buyer).reservation().id();
            a.reservations().cancel(id, buyer);
            if (interval > 0) {
                next += interval;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
    }

    /** Node B's listener: called by one thread at a time. */
    private static final class Arrival implements StatisticsListener {
        final LongAdder snapshots = new LongAdder();
        final LongAdder withSeats = new LongAdder();
        final LongAdder gaps = new LongAdder();
        volatile long newest;

        /** Counts from zero again; the newest version stays, to judge the next one. */
        void reset() {
            snapshots.reset();
            withSeats.reset();
            gaps.reset();
        }

        @Override
        public void onStatistics(EventStatistics statistics) {
            onUpdate(statistics, null);
        }

        @Override
        public void onUpdate(EventStatistics statistics, List<SeatChange> seatChanges) {
            snapshots.increment();
            if (seatChanges != null) {
                withSeats.increment();
            }
            if (newest != 0 && statistics.version() != newest + 1) {
                gaps.increment();
            }
            newest = statistics.version();
        }
    }

    /** CPU time of this JVM: both nodes, their broadcasters and the load. */
    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The Redis server's CPU time ({@code INFO cpu}: user and system, all its threads). */
    private static double redisCpuSeconds(URI redisUrl) {
        try (Jedis jedis = new Jedis(redisUrl)) {
            double seconds = 0;
            for (String line : jedis.info("cpu").split("\r?\n")) {
                if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                    seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return seconds;
        }
    }

}
