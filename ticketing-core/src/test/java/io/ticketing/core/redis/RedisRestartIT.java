package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.Drafts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A Redis of the test's own (AOF with {@code appendfsync always}, port {@code TICKETING_TEST_REDIS_RESTART_PORT},
 * default 17010) is killed with SIGKILL in the middle of a load and started again from its AOF: operations
 * during the outage fail with {@code UNAVAILABLE} and nothing else, every reservation that was answered
 * survives, and afterwards the statistics equal a recount of the seats and no seat is in two reservations.
 */
class RedisRestartIT {
    private static final int PORT = Integer.parseInt(System.getenv().getOrDefault("TICKETING_TEST_REDIS_RESTART_PORT", "17010"));
    private static final String URL = "redis://127.0.0.1:" + PORT;
    private static final int THREADS = 4;

    private Path dir;
    private Process redis;

    @BeforeEach
    void startRedis() throws IOException {
        dir = Files.createTempDirectory("ticketing-redis-restart");
        redis = startServer();
    }

    @AfterEach
    void stopRedis() throws Exception {
        redis.destroyForcibly().waitFor();
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
        }
    }

    private Process startServer() throws IOException {
        Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(PORT), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Await.until(this::answers, "redis-server on port " + PORT + " answers");
        return p;
    }

    private boolean answers() {
        try (Jedis jedis = new Jedis("127.0.0.1", PORT)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void aRedisKilledAndRestartedFromItsAofMidLoadLosesNothingAnsweredAndStaysConsistent() throws Exception {
        String prefix = StoreKeys.uniquePrefix();
        try (RedisTicketStore store = RedisTicketStore.builder(URL).keyPrefix(prefix).clientName("test-restart")
                .connectTimeout(Duration.ofMillis(300)).socketTimeout(Duration.ofMillis(500)).build()) {
            Event event = store.createEvent(new NewEvent(Drafts.available("restart", 40, 50), 1, Instant.now()));
            Set<String> answered = ConcurrentHashMap.newKeySet();
            Set<String> failures = ConcurrentHashMap.newKeySet();
            AtomicInteger answers = new AtomicInteger();
            AtomicInteger unavailable = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long buyer = 100 + t;
                Thread thread = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            operate(store, event.id(), buyer, answered);
                            answers.incrementAndGet();
                        } catch (TicketingException e) {
                            if (e.code() == ErrorCode.UNAVAILABLE) {
                                unavailable.incrementAndGet();
                            } else if (e.code() == ErrorCode.SEATS_UNAVAILABLE || e.code() == ErrorCode.CONFLICT) {
                                answers.incrementAndGet();
                            } else {
                                failures.add(e.code() + ": " + e.getMessage());
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                }, "restart-load-" + t);
                thread.start();
                load.add(thread);
            }
            try {
                Await.until(() -> answers.get() >= 300, "the load is under way");
                redis.destroyForcibly().waitFor();
                Await.until(() -> unavailable.get() >= 20, "operations fail as unavailable during the outage");
                redis = startServer();
                Await.until(store::isHealthy, "the store is healthy again");
                int afterRestart = answers.get();
                Await.until(() -> answers.get() >= afterRestart + 300, "the load goes on after the restart");
            } finally {
                stop.set(true);
                for (Thread thread : load) {
                    thread.join();
                }
            }
            assertTrue(failures.isEmpty(), "every failure was UNAVAILABLE or a refusal: " + failures);

            Set<String> stored = reservationIds(prefix, event.id());
            assertTrue(stored.containsAll(answered), "every reservation that was answered survived the restart");
            EventStatistics stats = Recount.assertConsistent(store, event, stored);
            assertTrue(stats.allocatedTickets() + stats.confirmedTickets() > 0, "the load took seats: " + stats);
        }
    }

    /** Holds one or two seats, then confirms, cancels, refunds or leaves them held, so that seats keep coming back. */
    private static void operate(RedisTicketStore store, long eventId, long buyer, Set<String> answered) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Instant now = Instant.now();
        ReserveCommand command = random.nextBoolean()
                ? new ReserveCommand.BestAvailable(null, eventId, buyer, "A", 1, 1 + random.nextInt(2), null,
                        now, now.plusSeconds(600))
                : new ReserveCommand.Seats(null, eventId, buyer, List.of(new SeatRef("A", 1,
                        1 + random.nextInt(40), 1 + random.nextInt(50))), null, now, now.plusSeconds(600));
        Reservation r = store.reserve(command).reservation();
        answered.add(r.id());
        switch (random.nextInt(8)) {
            case 0 -> store.confirm(r.id(), "pay", Instant.now());
            case 1 -> {
            }
            case 2, 3 -> {
                store.confirm(r.id(), "pay", Instant.now());
                store.cancel(r.id(), Instant.now());
            }
            default -> store.cancel(r.id(), Instant.now());
        }
    }

    /** Every reservation the event has, read from its key: also those whose answer the outage swallowed. */
    private static Set<String> reservationIds(String prefix, long eventId) {
        try (Jedis jedis = new Jedis("127.0.0.1", PORT)) {
            return new HashSet<>(jedis.smembers(prefix + "{e:" + eventId + "}:rids"));
        }
    }
}
