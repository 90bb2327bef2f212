package io.ticketing.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.testing.CapturedLog;
import io.ticketing.core.testing.TcpProxy;
import io.ticketing.core.testing.TestEnvironment;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database goes away under the store — a cut connection (a loopback proxy between the pool and
 * PostgreSQL) or backends terminated by the server — and comes back. Only this test's own connections
 * are affected: the shared server keeps running.
 */
class JdbcFaultsIT {
    /** The pool's and the store's warnings about the connections this test cuts, kept out of the build output. */
    @RegisterExtension
    final CapturedLog log = new CapturedLog();
    private static final Instant T0 = Instant.parse("2026-11-22T14:00:00Z");
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    private TestDatabase db;
    private TcpProxy proxy;
    private HikariDataSource viaProxy;
    private String appName;
    private JdbcTicketStore store;
    private Event event;

    @BeforeEach
    void storeBehindAProxy() throws Exception {
        db = TestDatabase.create("faults");
        db.newStore(); // migrate directly, not through the proxy
        URI target = URI.create(TestEnvironment.jdbcUrl().substring("jdbc:".length()));
        proxy = new TcpProxy(target.getHost(), target.getPort() == -1 ? 5432 : target.getPort());
        appName = db.schema() + "_proxied";
        viaProxy = TestDatabase.pool(proxiedUrl(proxy.port()), appName, 4);
        store = JdbcTicketStore.builder(viaProxy).schema(db.schema()).build();
        event = store.createEvent(new NewEvent(new EventDraft("faults", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(10, 20, List.of(new Section("A", 100, 2)))), 1, T0)); // 400 seats
    }

    @AfterEach
    void close() throws Exception {
        viaProxy.close();
        proxy.close();
        db.close();
    }

    private static String proxiedUrl(int port) {
        URI target = URI.create(TestEnvironment.jdbcUrl().substring("jdbc:".length()));
        return "jdbc:postgresql://127.0.0.1:" + port + target.getPath()
                + (target.getQuery() == null ? "" : "?" + target.getQuery());
    }

    private ReservationChange reserveOne(long buyer) {
        return store.reserve(new ReserveCommand.BestAvailable("r-" + buyer + "-" + System.nanoTime(),
                event.id(), buyer, "A", 1 + (int) (buyer % 2), 1, null, T0, T0.plusSeconds(600)));
    }

    @Test
    void anUnreachableDatabaseAtStartIsReportedAsUnavailableNamingItsUrl() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/test";
        try (HikariDataSource nowhere = TestDatabase.pool(url, db.schema() + "_nowhere", 1)) {
            long start = System.nanoTime();
            TicketingException e = assertThrows(TicketingException.class,
                    () -> JdbcTicketStore.builder(nowhere).schema(db.schema()).build());
            assertEquals(ErrorCode.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains(url), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "fails within the pool's timeout");
        }
    }

    @Test
    void aDatabaseThatDoesNotExistIsSaidSoNotUnreachable() {
        String url = TestEnvironment.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/no_such_db_" + db.schema() + "$1");
        try (HikariDataSource wrong = TestDatabase.pool(url, db.schema() + "_nodb", 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JdbcTicketStore.builder(wrong).schema(db.schema()).build());
            assertTrue(e.getMessage().startsWith("PostgreSQL at " + url + " has no such database"), e.getMessage());
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        }
    }

    @Test
    void aRefusedLoginIsSaidSoNotUnreachable() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + URI.create(TestEnvironment.jdbcUrl().substring(5)).getAuthority()
                + "/test?user=no_such_role_h17");
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource stranger = new HikariDataSource(config)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JdbcTicketStore.builder(stranger).schema(db.schema()).build());
            assertTrue(e.getMessage().contains("refused the login"), e.getMessage());
            assertTrue(e.getMessage().contains("no_such_role_h17"), e.getMessage());
        }
    }

    @Test
    void anUnknownHostOrARefusedConnectionIsSaidSo() throws Exception {
        try (HikariDataSource nowhere = TestDatabase.pool("jdbc:postgresql://no-such-host.invalid:5432/test",
                db.schema() + "_nohost", 1)) {
            TicketingException e = assertThrows(TicketingException.class,
                    () -> JdbcTicketStore.builder(nowhere).schema(db.schema()).build());
            assertTrue(e.getMessage().contains("unknown host no-such-host.invalid"), e.getMessage());
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (HikariDataSource refused = TestDatabase.pool("jdbc:postgresql://127.0.0.1:" + closedPort + "/test",
                db.schema() + "_refused", 1)) {
            TicketingException e = assertThrows(TicketingException.class,
                    () -> JdbcTicketStore.builder(refused).schema(db.schema()).build());
            assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        }
    }

    @Test
    void aPasswordInTheUrlIsInNoLogLineAndNoErrorMessage() throws Exception {
        String secret = "s3cret-" + db.schema();
        String withPassword = TestEnvironment.jdbcUrl() + (TestEnvironment.jdbcUrl().contains("?") ? "&" : "?")
                + "password=" + secret;
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (HikariDataSource good = TestDatabase.pool(withPassword, db.schema() + "_pw", 1);
             HikariDataSource bad = TestDatabase.pool("jdbc:postgresql://127.0.0.1:" + closedPort + "/test?password="
                     + secret, db.schema() + "_pwbad", 1)) {
            JdbcTicketStore.builder(good).schema(db.schema()).build(); // trust auth: the password is not checked
            TicketingException e = assertThrows(TicketingException.class,
                    () -> JdbcTicketStore.builder(bad).schema(db.schema()).build());
            assertTrue(e.getMessage().contains("password=****"), e.getMessage());
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertTrue(log.text().contains("PostgreSQL store ready"), log.text());
            assertFalse(log.text().contains(secret), log.text());
        }
    }

    @Test
    void aLostDatabaseFailsFastAsUnavailableAndServiceRecoversWhenItReturns() throws Exception {
        reserveOne(1);
        assertTrue(store.isHealthy());
        long versionBefore = store.statistics(event.id()).orElseThrow().version();

        proxy.cut();
        long start = System.nanoTime();
        TicketingException e = assertThrows(TicketingException.class, () -> reserveOne(2));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "fails within the pool's timeout");
        assertEquals(ErrorCode.UNAVAILABLE, assertThrows(TicketingException.class,
                () -> store.statistics(event.id())).code());
        assertFalse(store.isHealthy());

        restoreProxy();
        awaitTrue(() -> succeeds(() -> reserveOne(3)), "a reservation succeeds again");
        assertTrue(store.isHealthy());
        assertTrue(store.statistics(event.id()).orElseThrow().version() > versionBefore);
        db.assertConsistent();
    }

    @Test
    void cuttingTheDatabaseInTheMiddleOfABurstLeavesNothingHalfApplied() throws Exception {
        try (Buyers buyers = new Buyers(10, 4)) {
            awaitTrue(() -> buyers.succeeded.get() >= 20, "the burst is under way");
            proxy.cut();
            awaitTrue(() -> buyers.unavailable.get() >= 4, "operations fail as unavailable");
            restoreProxy();
            int atRestore = buyers.succeeded.get();
            awaitTrue(() -> buyers.succeeded.get() >= atRestore + 20, "operations succeed again");
            buyers.assertOnlyUnavailableOrRefusedWhenStopped();
        }
        db.assertConsistent();
    }

    @Test
    void terminatedBackendsAreReplacedAndNothingIsHalfApplied() throws Exception {
        try (Buyers buyers = new Buyers(20, 3)) {
            for (int round = 0; round < 3; round++) {
                int before = buyers.succeeded.get();
                awaitTrue(() -> buyers.succeeded.get() >= before + 10, "operations succeed");
                long killed = db.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE application_name = '" + appName + "'");
                assertTrue(killed > 0, "the pool's backends were terminated");
            }
            int afterKills = buyers.succeeded.get();
            awaitTrue(() -> buyers.succeeded.get() >= afterKills + 10, "operations succeed after the last termination");
            buyers.assertOnlyUnavailableOrRefusedWhenStopped();
        }
        db.assertConsistent();
    }

    /**
     * Buyers on threads of their own, each reserving, then confirming or cancelling, until stopped (or for 2
     * minutes at most), counting what succeeded and what failed as UNAVAILABLE. Closing it stops them.
     */
    private final class Buyers implements AutoCloseable {
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Set<String> unexpected = ConcurrentHashMap.newKeySet();
        private final ExecutorService pool;
        private final List<Future<?>> running = new ArrayList<>();

        /** Starts {@code count} buyers, numbered from {@code firstBuyer} on. */
        Buyers(long firstBuyer, int count) {
            pool = Executors.newFixedThreadPool(count);
            for (int t = 0; t < count; t++) {
                long buyer = firstBuyer + t;
                running.add(pool.submit(() -> churn(buyer)));
            }
        }

        /** Stops the buyers, waits for each to finish, and asserts no failure but UNAVAILABLE or a refusal. */
        void assertOnlyUnavailableOrRefusedWhenStopped() throws Exception {
            stop.set(true);
            for (Future<?> buyer : running) {
                buyer.get(2, TimeUnit.MINUTES);
            }
            assertTrue(unexpected.isEmpty(), "only UNAVAILABLE or business refusals: " + unexpected);
        }

        private void churn(long buyer) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!stop.get() && System.nanoTime() < deadline) {
                try {
                    ReservationChange held = reserveOne(buyer);
                    if (random.nextBoolean()) {
                        store.confirm(held.reservation().id(), null, T0);
                    } else {
                        store.cancel(held.reservation().id(), T0);
                    }
                    succeeded.incrementAndGet();
                } catch (TicketingException e) {
                    if (e.code() == ErrorCode.UNAVAILABLE) {
                        unavailable.incrementAndGet();
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    } else if (e.code() != ErrorCode.SEATS_UNAVAILABLE && e.code() != ErrorCode.CONFLICT
                            && e.code() != ErrorCode.NOT_FOUND) {
                        unexpected.add(e.code() + ": " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    unexpected.add(e.toString());
                }
            }
        }

        @Override
        public void close() {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** Listens on the proxy's port again, once the connections it just dropped have let go of it. */
    private void restoreProxy() {
        awaitTrue(() -> {
            try {
                proxy.restore();
                return true;
            } catch (java.io.IOException portStillHeld) {
                return false;
            }
        }, "the proxy listens again");
    }

    private static boolean succeeds(Runnable action) {
        try {
            action.run();
            return true;
        } catch (TicketingException e) {
            if (e.code() != ErrorCode.UNAVAILABLE) {
                throw e;
            }
            return false;
        }
    }

    /** Polls every 50 ms until the condition holds or {@link #RECOVERY} passes. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(RECOVERY).pollInSameThread().pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }
}
