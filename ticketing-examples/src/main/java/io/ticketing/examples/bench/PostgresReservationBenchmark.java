package io.ticketing.examples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.Ticketing;
import io.ticketing.core.TicketingException;
import io.ticketing.core.jdbc.JdbcTicketStore;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventRules;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.examples.ToolFlags;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The PostgreSQL store's speed (see docs/benchmarks.md, section "PostgreSQL store"):
 *
 * <ol>
 *   <li>ticket generation: create events of 100,000 and 1,000,000 seats (gone with the schema at the end);</li>
 *   <li>one hot event, {@code threads} client threads, each looping "reserve one best-available seat, then
 *       confirm it" for {@code seconds}: reservations per second, through {@link Ticketing}'s services
 *       ({@code api=service}, what a host gets, including the services' own reads) or straight on the
 *       store ({@code api=store}).</li>
 * </ol>
 *
 * <p>Works in its own schema (dropped at the end). Arguments, all optional, as {@code key=value}:
 * {@code url} (default {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code user} ({@code postgres}),
 * {@code password}, {@code threads} (8), {@code seconds} (15), {@code warmup} (15: with both cores busy the
 * JIT's compile queue lags, and it was still compiling the hot JDBC path 15 s after start), {@code api}
 * ({@code service}; {@code store}; {@code both}), {@code pool} (HikariCP pool size, {@code threads} + 2),
 * {@code cap} (the hot event's {@code maxSeatsPerBuyer}, default none; with a cap each thread changes buyer
 * every {@code cap} reservations, so that every buyer ends exactly at the cap and none is refused).
 *
 * <pre>java -cp ticketing-examples/target/ticketing-example.jar io.ticketing.examples.bench.PostgresReservationBenchmark</pre>
 */
public final class PostgresReservationBenchmark {
    private static final String SCHEMA = "ticketing_bench";

    private PostgresReservationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o == null) {
            return;
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(o.url);
        config.setUsername(o.user);
        config.setPassword(o.password);
        config.setMaximumPoolSize(o.pool);
        config.setConnectionTimeout(3_000);
        config.addDataSourceProperty("ApplicationName", "ticketing-benchmark");
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            execute(dataSource, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            JdbcTicketStore store = JdbcTicketStore.builder(dataSource).schema(SCHEMA).build();
            try (Ticketing ticketing = Ticketing.builder().store(store).build()) {
                System.out.printf(Locale.ROOT, "PostgreSQL store benchmark: %s, %d threads, %d s (+%d s warm-up)%n",
                        o.url, o.threads, o.seconds, o.warmup);
                generation(ticketing, "100,000 seats", 100, 100, 10);
                generation(ticketing, "1,000,000 seats", 1000, 1000, 1);
                if (!o.api.equals("store")) {
                    reservations(ticketing, store, o, false);
                }
                if (!o.api.equals("service")) {
                    reservations(ticketing, store, o, true);
                }
            } finally {
                execute(dataSource, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private static void generation(Ticketing ticketing, String label, int rows, int cols, int subsections) {
        EventDraft draft = new EventDraft("generation " + label, null, null, EventStatus.AVAILABLE,
                new SeatingConfig(rows, cols, List.of(new Section("A", 1000, subsections))));
        long start = System.nanoTime();
        Event event = ticketing.events().create(User.seller(1), draft);
        double created = (System.nanoTime() - start) / 1e9;
        int total = ticketing.statistics().current(event.id(), User.seller(1)).totalTickets();
        System.out.printf(Locale.ROOT, "generate %-16s %7.2f s  (%,d tickets)%n", label, created, total);
    }

    private static void reservations(Ticketing ticketing, JdbcTicketStore store, Options o, boolean direct)
            throws InterruptedException {
        // 200,000 seats in 20 subsections: enough that the run never sells out.
        Event hot = ticketing.events().create(User.seller(1), new EventDraft("hot event", null, null,
                EventStatus.AVAILABLE, new SeatingConfig(100, 100, List.of(new Section("A", 2500, 20))),
                new EventRules(o.cap)));
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        Recorder latency = new Recorder(3);
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.warmup);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(o.seconds);
        CountDownLatch finished = new CountDownLatch(o.threads);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < o.threads; t++) {
            long firstBuyer = 100 + t * 1_000_000_000L;
            int subsection = 1 + t % 20;
            Thread thread = new Thread(() -> {
                try {
                    for (long n = 0; System.nanoTime() < end; n++) {
                        User buyer = User.buyer(o.cap == null ? firstBuyer : firstBuyer + n / o.cap);
                        long begin = System.nanoTime();
                        try {
                            if (direct) {
                                Instant now = Instant.now();
                                Reservation r = store.reserve(new ReserveCommand.BestAvailable(reservationId(),
                                        hot.id(), buyer.id(), "A", subsection, 1, null, now,
                                        now.plusSeconds(600))).reservation();
                                store.confirm(r.id(), "bench", now);
                            } else {
                                Reservation r = ticketing.reservations().reserve(hot.id(),
                                        ReservationRequest.bestAvailable("A", subsection, 1), null, buyer).reservation();
                                ticketing.reservations().confirm(r.id(), "bench", buyer);
                            }
                        } catch (TicketingException e) {
                            failed.increment();
                            continue;
                        }
                        long now = System.nanoTime();
                        if (begin >= warmupEnd) {
                            done.increment();
                            latency.recordValue(TimeUnit.NANOSECONDS.toMicros(now - begin));
                        }
                    }
                } finally {
                    finished.countDown();
                }
            }, "bench-buyer-" + t);
            threads.add(thread);
            thread.start();
        }
        finished.await();
        Histogram h = latency.getIntervalHistogram();
        EventStatistics stats = ticketing.statistics().current(hot.id(), User.seller(1));
        System.out.printf(Locale.ROOT, "reserve+confirm via %-7s %7.0f reservations/s  (%,d in %d s, %d refused; "
                        + "latency p50 %.2f ms, p99 %.2f ms; event version %d, confirmed %d)%n",
                direct ? "store" : "service", done.sum() / (double) o.seconds, done.sum(), o.seconds, failed.sum(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, stats.version(),
                stats.confirmedTickets());
    }

    /** A random id like the service's ({@code UUID.randomUUID} would measure SecureRandom). */
    private static String reservationId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "r-bench-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    private static void execute(HikariDataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private record Options(String url, String user, String password, int threads, int seconds, int warmup,
                           String api, int pool, Integer cap) {
        /** The options of {@code args}, or null after printing the usage text if they ask for it. */
        static Options parse(String[] args) {
            Flags f = new Flags();
            if (!ToolFlags.parse(f, args)) {
                return null;
            }
            return new Options(f.url, f.user, f.password, f.threads, f.seconds, f.warmup, f.api,
                    f.pool != null ? f.pool : f.threads + 2, f.cap);
        }
    }

    /** Arguments as {@code key=value}, each optional. */
    @Command(name = "PostgresReservationBenchmark", sortOptions = false,
            description = "The PostgreSQL store's speed, in a schema of its own.")
    static final class Flags {
        @Option(names = "url", description = "default jdbc:postgresql://127.0.0.1:5432/test")
        String url = "jdbc:postgresql://127.0.0.1:5432/test";
        @Option(names = "user", description = "default postgres")
        String user = "postgres";
        @Option(names = "password", description = "default none")
        String password;
        @Option(names = "threads", description = "client threads; default 8")
        int threads = 8;
        @Option(names = "seconds", description = "measured; default 15")
        int seconds = 15;
        @Option(names = "warmup", description = "seconds of warm-up; default 15")
        int warmup = 15;
        @Option(names = "api", description = "service, store or both; default service")
        String api = "service";
        @Option(names = "pool", description = "HikariCP pool size; default threads + 2")
        Integer pool;
        @Option(names = "cap", description = "the hot event's maxSeatsPerBuyer; default none")
        Integer cap;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
        boolean help;
    }
}
