package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketing.core.TicketingException;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.testing.Drafts;
import io.ticketing.core.testing.TestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Best available on Redis picks the seats the in-memory store picks, through a random sequence of
 * best-available reservations (quantity up to 50), cancellations, confirmations and refunds: the rows' runs
 * masks the reserve script searches stay in step with the seats as seats are taken and come back, in rows
 * narrower and wider than a mask's 53 run lengths.
 */
class RedisBestAvailableIT {
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    private final String prefix = StoreKeys.uniquePrefix();
    private RedisTicketStore redis;
    private InMemoryTicketStore memory;

    @BeforeEach
    void open() {
        redis = StoreKeys.newStore(TestEnvironment.redisUri().toString(), prefix);
        memory = new InMemoryTicketStore();
    }

    @AfterEach
    void close() {
        redis.close();
        memory.close();
        StoreKeys.deleteAll(TestEnvironment.redisUri().toString(), prefix);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 20, 60})
    void picksTheSeatsTheInMemoryStorePicks(int cols) {
        Random random = new Random(cols);
        var draft = Drafts.available("runs", 12, cols);
        Event onRedis = redis.createEvent(new NewEvent(draft, 1, T0));
        Event inMemory = memory.createEvent(new NewEvent(draft, 1, T0));
        List<String[]> live = new ArrayList<>(); // {redis id, memory id}
        for (int step = 0; step < 400; step++) {
            Instant now = T0.plusMillis(step);
            int action = random.nextInt(10);
            if (action < 6 || live.isEmpty()) {
                int quantity = 1 + random.nextInt(Math.min(cols, 50));
                Reservation a = reserveOrNull(redis, onRedis.id(), quantity, now);
                Reservation b = reserveOrNull(memory, inMemory.id(), quantity, now);
                assertEquals(seats(b), seats(a), "step " + step + ", quantity " + quantity);
                if (a != null) {
                    live.add(new String[] {a.id(), b.id()});
                }
            } else {
                String[] ids = live.get(random.nextInt(live.size()));
                boolean cancel = action < 9;
                Function<TicketStore, Function<String, Reservation>> op = store -> id -> cancel
                        ? store.cancel(id, now).reservation() : store.confirm(id, null, now).reservation();
                ReservationStatus a = statusOrNull(() -> op.apply(redis).apply(ids[0]));
                ReservationStatus b = statusOrNull(() -> op.apply(memory).apply(ids[1]));
                assertEquals(b, a, "step " + step);
                if (a == ReservationStatus.CANCELLED) {
                    live.remove(ids);
                }
            }
        }
        assertEquals(memory.statistics(inMemory.id()).orElseThrow().remainingTickets(),
                redis.statistics(onRedis.id()).orElseThrow().remainingTickets());
    }

    private static Reservation reserveOrNull(TicketStore store, long eventId, int quantity, Instant now) {
        try {
            return store.reserve(new ReserveCommand.BestAvailable("r-best-" + System.nanoTime(), eventId, 7, "A", 1,
                    quantity, null, now, now.plus(Duration.ofHours(1)))).reservation();
        } catch (TicketingException e) {
            return null;
        }
    }

    private static ReservationStatus statusOrNull(java.util.function.Supplier<Reservation> op) {
        try {
            return op.get().status();
        } catch (TicketingException e) {
            return null;
        }
    }

    /** The seats as row and seat numbers in order, or null for no reservation. */
    private static List<String> seats(Reservation r) {
        return r == null ? null : r.seats().stream()
                .sorted(Comparator.comparingInt(ReservedSeat::row).thenComparingInt(ReservedSeat::seat))
                .map(s -> s.row() + ":" + s.seat()).toList();
    }
}
