package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationQuery;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.spi.TicketStoreContract;
import io.ticketing.core.testing.Drafts;
import io.ticketing.core.testing.TestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The core's TicketStore contract, unchanged, against one Redis server; every test has its own key prefix.
 * Plus: a creation whose script ran but whose answer was lost leaves nothing behind, a 1,000,000-seat event
 * works like any other, a short hold made while the sweep rests is still expired on time, and best available
 * reads a wide subsection in parts.
 */
class RedisTicketStoreIT extends TicketStoreContract {
    protected String prefix;

    /** The Redis to test against. */
    protected String url() {
        return TestEnvironment.redisUri().toString();
    }

    @Override
    protected TicketStore newStore() {
        prefix = StoreKeys.uniquePrefix();
        return StoreKeys.newStore(url(), prefix);
    }

    @AfterEach
    void deleteKeys() {
        StoreKeys.deleteAll(url(), prefix);
    }

    @Test
    void aCreationWhoseAnswerIsLostLeavesNothingBehind() {
        ScriptRunner real = new JedisScriptRunner(RedisEndpoint.parse(url()), "test-faults", Duration.ofSeconds(2),
                Duration.ofSeconds(10), 2);
        ScriptRunner answerLost = new ScriptRunner() {
            @Override
            public Object run(LuaScript script, String key, List<String> args) {
                Object reply = real.run(script, key, args);
                if (script.name().equals("create-event")) {
                    throw TicketingException.unavailable("injected: the connection broke before the answer came", null);
                }
                return reply;
            }

            @Override
            public void close() {
                real.close();
            }
        };
        try (RedisTicketStore faulty = RedisTicketStore.open(answerLost, prefix, "test")) {
            assertCode(ErrorCode.UNAVAILABLE, () -> faulty.createEvent(new NewEvent(Drafts.gala(), 3, T0)));
        }
        assertEquals(Set.of(prefix + "{global}:schema", prefix + "{global}:event-id"),
                Set.copyOf(StoreKeys.keys(url(), StoreKeys.glob(prefix) + "*")),
                "no key of the event, and no listing, is left");
        assertTrue(store.listEvents(new EventQuery(null, false, Long.MAX_VALUE, 10)).isEmpty());
        Event next = gala();
        assertEquals(36, stats(next.id()).remainingTickets(), "the store works on");
    }

    @Test
    void aMillionSeatEventIsCreatedAndSoldLikeAnyOther() {
        Event e = create(Drafts.available("stadium", 1000, 1000), 3);
        EventStatistics s = stats(e.id());
        assertEquals(1_000_000, s.totalTickets());
        assertEquals(1_000_000, s.remainingTickets());
        reserve(e.id(), 7, T0, seat("A", 1, 1000, 1000));
        assertEquals(SeatStatus.RESERVED, store.seats(e.id(), "A", 1).get(999_999).status());
        assertEquals(3, reserveBest(e.id(), 8, "A", 1, 2).statistics().allocatedTickets());
        store.deleteEvent(e.id());
        assertEquals(Set.of(), Set.copyOf(StoreKeys.keys(url(), StoreKeys.glob(prefix) + "{e:*")));
    }

    @Test
    void aHoldThatLapsesBeforeTheSweepsNextLookIsExpiredOnTime() {
        Event e = gala();
        assertTrue(store.expireHolds(T0, 10).isEmpty(), "no holds: the sweep looks again a minute later");
        Instant soon = T0.plusSeconds(5);
        store.reserve(new ReserveCommand.Seats(null, e.id(), 7, List.of(seat("A", 1, 1, 1)), null, T0, soon));
        assertEquals(1, store.expireHolds(soon, 10).size(), "the new hold moved the sweep's look forward");
    }

    @Test
    void bestAvailableFindsARunPastTheFirstRowsItReadsAndComesBackToSeatsReleasedBeforeIt() {
        Event e = create(Drafts.available("wide", 20, 1000), 3); // read 4 rows of 1,000 seats at a time
        List<Reservation> everyOther = new ArrayList<>();
        for (int row = 1; row <= 5; row++) {
            for (int from = 2; from <= 1000; from += 100) {
                List<SeatRef> seats = new ArrayList<>();
                for (int seat = from; seat < from + 100; seat += 2) {
                    seats.add(seat("A", 1, row, seat));
                }
                everyOther.add(store.reserve(new ReserveCommand.Seats(null, e.id(), 7, seats, null, T0,
                        T0.plus(HOLD))).reservation());
            }
        }
        assertEquals(List.of(new ReservedSeat("A", 1, 6, 500, 1000), new ReservedSeat("A", 1, 6, 501, 1000)),
                reserveBest(e.id(), 8, "A", 1, 2).reservation().seats(), "rows 1-5 have no two adjacent seats");
        store.cancel(everyOther.get(0).id(), T0); // row 1, seats 2, 4, …, 100: seats 1-101 are free
        assertEquals(List.of(new ReservedSeat("A", 1, 1, 100, 1000), new ReservedSeat("A", 1, 1, 101, 1000)),
                reserveBest(e.id(), 9, "A", 1, 2).reservation().seats(), "the free pair nearest the middle");
    }

    @Test
    void anIdempotencyKeyUsedOnAnotherEventIsAConflictAndHoldsNothing() {
        Event first = gala();
        Event second = gala();
        Reservation made = store.reserve(new ReserveCommand.Seats(newReservationId(), first.id(), 7,
                List.of(seat("A", 1, 1, 1)), "key-1", T0, T0.plus(HOLD))).reservation();

        assertCode(ErrorCode.CONFLICT, () -> store.reserve(new ReserveCommand.Seats(newReservationId(),
                second.id(), 7, List.of(seat("A", 1, 1, 1)), "key-1", T0, T0.plus(HOLD))));
        assertEquals(0, stats(second.id()).allocatedTickets(), "nothing held on the other event");
        assertEquals(made, store.reserve(new ReserveCommand.Seats(newReservationId(), first.id(), 7,
                List.of(seat("A", 1, 1, 1)), "key-1", T0, T0.plus(HOLD))).reservation(),
                "on its own event the key still replays");
        Reservation otherBuyer = store.reserve(new ReserveCommand.Seats(newReservationId(), second.id(), 8,
                List.of(seat("A", 1, 1, 1)), "key-1", T0, T0.plus(HOLD))).reservation();
        assertEquals(8, otherBuyer.buyerId(), "keys are the buyer's own");
    }

    /**
     * On one server the listing and the reservation go in one round trip: a server that forgot its scripts (a
     * restart, a failover), or knows the reserve script but not the listing one, still gets both, listed first.
     */
    @Test
    void aReservationIsListedWhenTheServerForgotItsScripts() {
        Event e = gala();
        forgetScripts(null);
        Reservation first = store.reserve(new ReserveCommand.BestAvailable(null, e.id(), 7, "A", 1, 1, null, T0,
                T0.plus(HOLD))).reservation();
        forgetScripts(LuaScript.onEvent("reserve"));
        Reservation second = store.reserve(new ReserveCommand.BestAvailable(null, e.id(), 7, "A", 1, 1, null, T0,
                T0.plus(HOLD))).reservation();
        assertEquals(Set.of(first, second), Set.copyOf(store.listReservations(
                new ReservationQuery(7, e.id(), null, null, 10))));
    }

    /** Flushes every node's script cache, then loads {@code keep} (if not null) on every node. */
    private void forgetScripts(LuaScript keep) {
        RedisEndpoint endpoint = RedisEndpoint.parse(url());
        for (HostAndPort node : endpoint.nodes()) {
            try (Jedis jedis = new Jedis(node, endpoint.clientConfig("test-scripts", Duration.ofSeconds(2),
                    Duration.ofSeconds(10)))) {
                jedis.scriptFlush();
                if (keep != null) {
                    jedis.scriptLoad(keep.source());
                }
            }
        }
    }

    @Test
    void aReservationIdThatIsNotTheStoresIsNotFound() {
        for (String id : List.of("r-nope", "r-0-000000000000000000000000", "r-1-00000000000000000000000g", "x")) {
            assertTrue(store.findReservation(id).isEmpty(), id);
            assertCode(ErrorCode.NOT_FOUND, () -> store.confirm(id, null, T0));
        }
    }
}
