import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.jdbc.JdbcTicketStore;
import io.ticketing.core.spi.ReserveCommand;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * CPU per best-available reserve + confirm of one seat as a jar's own store sends them (docs/benchmarks.md, "Sales
 * rules", "Eleventh run (PostgreSQL)"): run with the example jar of the code under test,
 * {@code java -cp JAR scripts/pg-cpu/StoreLoop.java SCHEMA SUBSECTION ITERATIONS [CAP]}, SCHEMA made by Setup.java
 * with the same jar (event 1). Unlike harness.sh it measures the statements as the driver sends them (the protocol's
 * work per statement included). One connection (a pool of 1), one thread: 500 reserve + confirm of warm-up, then
 * ITERATIONS measured, buyers changed every CAP (default 4) holds; prints the backend's utime + stime
 * (/proc/<pid>/stat, 100 Hz) and this thread's CPU, each divided by the iterations, in microseconds. A subsection has
 * 10,000 seats: at most 10,000 - 500 iterations per subsection over all runs.
 */
public final class StoreLoop {
    private static final int WARMUP = 500;

    public static void main(String[] args) throws Exception {
        String schema = args[0];
        int subsection = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int cap = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
            ds.setUsername("postgres");
            ds.setMaximumPoolSize(1);
            ds.setMinimumIdle(1);
            JdbcTicketStore store = JdbcTicketStore.builder(ds).schema(schema).migrate(false).build();
            long pid;
            try (var c = ds.getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
            long buyers = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1000;
            String ids = "r-loop-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
            loop(store, subsection, 0, WARMUP, cap, buyers, ids);
            long ticks = ticks(pid);
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            loop(store, subsection, WARMUP, WARMUP + n, cap, buyers, ids);
            double backend = (ticks(pid) - ticks) * 10_000.0 / n;
            double client = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1000.0 / n;
            System.out.printf(Locale.ROOT, "%.0f %.0f%n", backend, client);
        }
    }

    private static void loop(JdbcTicketStore store, int subsection, int from, int to, int cap, long buyers, String ids)
            throws Exception {
        for (int i = from; i < to; i++) {
            Instant now = Instant.now();
            String id = ids + i;
            store.reserve(command(id, buyers + i / cap, subsection, now));
            store.confirm(id, "bench", now);
        }
    }

    /** A best-available command of one seat in section A, as this jar's ReserveCommand takes it. */
    private static ReserveCommand command(String id, long buyer, int subsection, Instant now) throws Exception {
        Instant expires = now.plusSeconds(600);
        try {
            Class<?> best = Class.forName("io.ticketing.core.spi.ReserveCommand$BestAvailable");
            return (ReserveCommand) best.getConstructor(String.class, long.class, long.class, String.class, int.class,
                    int.class, String.class, Instant.class, Instant.class)
                    .newInstance(id, 1L, buyer, "A", subsection, 1, null, now, expires);
        } catch (ClassNotFoundException preRules) { // the pre-rules code: one record for both kinds
            return ReserveCommand.class.getConstructor(String.class, long.class, long.class, List.class, String.class,
                    int.class, int.class, String.class, Instant.class, Instant.class)
                    .newInstance(id, 1L, buyer, null, "A", subsection, 1, null, now, expires);
        }
    }

    private static long ticks(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
}
