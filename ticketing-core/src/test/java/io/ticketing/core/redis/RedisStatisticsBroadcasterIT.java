package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.TicketingException;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.internal.SnapshotUpdate;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.User;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.spi.StatisticsListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.spi.AllEventsListener;
import io.ticketing.core.spi.UserListener;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.Drafts;
import io.ticketing.core.testing.TcpProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Two simulated nodes — two {@code Ticketing} instances sharing one {@link InMemoryTicketStore} (the system
 * of record), each with its own {@link RedisStatisticsBroadcaster} — against the real Redis. Every test
 * uses its own channel prefix and client names, so concurrent runs never see each other's traffic.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisStatisticsBroadcasterIT {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final User SELLER = User.seller(1);

    private final InMemoryTicketStore store = new InMemoryTicketStore();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private String prefix;

    @BeforeEach
    void uniqueChannels() {
        prefix = RedisAdmin.unique("it-statistics") + ":";
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void aChangeOnNodeAReachesASubscriberOnNodeBWithIdenticalStatistics() {
        Node a = node("a", RedisAdmin.uri());
        Node b = node("b", RedisAdmin.uri());
        long eventId = a.ticketing.events().create(SELLER, Drafts.gala()).id();
        Recorder onB = b.subscribe(eventId);
        a.awaitHealthy();
        b.awaitHealthy();

        a.ticketing.reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 2), null, User.buyer(7));

        EventStatistics truth = truth(eventId);
        assertEquals(2, truth.allocatedTickets());
        await("B's subscriber has A's reservation", PATIENCE, () -> truth.equals(onB.latest()), () -> "" + onB.latest());
    }

    @Test
    void aBuyersUpdatesAndASellersNewEventsReachOnlyTheirSubscribersOnTheOtherNode() {
        Node a = node("a", RedisAdmin.uri()).awaitHealthy();
        Node b = node("b", RedisAdmin.uri()).awaitHealthy();
        List<UserUpdate> buyer7 = new CopyOnWriteArrayList<>();
        List<UserUpdate> buyer8 = new CopyOnWriteArrayList<>();
        List<UserUpdate> seller = new CopyOnWriteArrayList<>();
        b.broadcaster.subscribe(User.buyer(7), buyer7::add);
        b.broadcaster.subscribe(User.buyer(8), buyer8::add);
        b.broadcaster.subscribe(SELLER, seller::add);

        long eventId = a.ticketing.events().create(SELLER, Drafts.gala()).id();
        Reservation held = a.ticketing.reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 2), null,
                User.buyer(7)).reservation();
        Reservation confirmed = a.ticketing.reservations().confirm(held.id(), null, User.buyer(7));

        await("B's subscriber of buyer 7 gets the hold and its confirmation", PATIENCE, () -> buyer7.size() == 2,
                () -> "" + buyer7);
        assertEquals(List.of(UserUpdate.reservation(held), UserUpdate.reservation(confirmed)), buyer7);
        await("B's subscriber of the seller gets the new event", PATIENCE, () -> seller.size() == 1, () -> "" + seller);
        assertEquals(UserUpdate.eventCreated(SELLER.id(), eventId), seller.get(0));
        assertEquals(List.of(), buyer8);
    }

    @Test
    void aUsersSubscribersAreToldOfAGapWhenTheirNodeSubscribesAgain() throws Exception {
        TcpProxy toRedis = proxy();
        Node b = node("b", RedisAdmin.via(toRedis.port())).awaitHealthy();
        AtomicInteger gaps = new AtomicInteger();
        b.broadcaster.subscribe(User.buyer(7), new UserListener() {
            @Override
            public void onUpdate(UserUpdate update) {
            }

            @Override
            public void onGap() {
                gaps.incrementAndGet();
            }
        });
        toRedis.cut();
        await("the broadcaster is down", PATIENCE, () -> !b.broadcaster.isHealthy());
        toRedis.restore();
        await("the subscriber is told of the gap", PATIENCE, () -> gaps.get() >= 1, () -> "" + gaps.get());
    }

    @Test
    void aListenerOfAllEventsOnNodeBGetsNodeAsNewEventsChangesAndListingChangesAndAGapOnResubscribing()
            throws Exception {
        TcpProxy toRedis = proxy();
        Node a = node("a", RedisAdmin.uri()).awaitHealthy();
        Node b = node("b", RedisAdmin.via(toRedis.port())).awaitHealthy();
        List<EventStatistics> snapshots = new CopyOnWriteArrayList<>();
        List<Long> listings = new CopyOnWriteArrayList<>();
        AtomicInteger gaps = new AtomicInteger();
        b.broadcaster.subscribeAll(new AllEventsListener() {
            @Override
            public void onStatistics(EventStatistics statistics) {
                snapshots.add(statistics);
            }

            @Override
            public void onListingChanged(long eventId) {
                listings.add(eventId);
            }

            @Override
            public void onGap() {
                gaps.incrementAndGet();
            }
        });

        long eventId = a.ticketing.events().create(SELLER, Drafts.gala()).id();
        a.ticketing.reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 2), null, User.buyer(7));
        a.ticketing.events().update(eventId, new EventPatch(null, false, null), SELLER);

        EventStatistics truth = truth(eventId);
        // node A sends only the newest unsent snapshot of an event: the creation's may be conflated away
        await("B's listener has the event's newest snapshot", PATIENCE,
                () -> !snapshots.isEmpty() && truth.equals(snapshots.get(snapshots.size() - 1)), () -> "" + snapshots);
        await("B's listener has the listing change", PATIENCE, () -> listings.equals(List.of(eventId)), () -> "" + listings);
        toRedis.cut();
        await("the broadcaster is down", PATIENCE, () -> !b.broadcaster.isHealthy());
        toRedis.restore();
        await("the listener is told of the gap", PATIENCE, () -> gaps.get() >= 1, () -> "" + gaps.get());
    }

    @Test
    void aNodeSkipsItsOwnMessagesWhenRedisEchoesThemBack() throws Exception {
        Node a = node("a", RedisAdmin.uri()).awaitHealthy();
        long eventId = 4242;
        Recorder onA = a.subscribe(eventId);
        try (Jedis jedis = new Jedis(RedisAdmin.uri())) {
            // one that carries A's own id, then another node's older one: had A taken its own, it would
            // stay on v20 and drop v10 as older
            jedis.publish(prefix + eventId, a.broadcaster.nodeId() + " " + json(snapshot(eventId, 20)));
            jedis.publish(prefix + eventId, "another-node " + json(snapshot(eventId, 10)));
        }
        await("A delivers the other node's snapshot", PATIENCE, () -> onA.latest() != null, () -> "nothing");
        assertEquals(10, onA.latest().version(), "A skipped the message carrying its own id");
    }

    @Test
    void manyChangesFromBothNodesLeaveEverySubscriberOnTheStoresFinalSnapshot() throws Exception {
        Node a = node("a", RedisAdmin.uri()).awaitHealthy();
        Node b = node("b", RedisAdmin.uri()).awaitHealthy();
        long first = a.ticketing.events().create(SELLER, Drafts.available("First", 10, 30, "A")).id();
        long second = b.ticketing.events().create(SELLER, Drafts.available("Second", 10, 30, "A")).id();
        List<Recorder> recorders = List.of(a.subscribe(first), a.subscribe(second), a.subscribe(first),
                b.subscribe(first), b.subscribe(second), b.subscribe(second));

        ExecutorService buyers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Node node = t % 2 == 0 ? a : b;
                long eventId = t < 2 ? first : second;
                int buyer = 100 + t;
                runs.add(buyers.submit(() -> churn(node, eventId, buyer, 150)));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            buyers.shutdownNow();
        }

        awaitConverged(recorders, PATIENCE);
        recorders.forEach(r -> assertTrue(r.versionsIncreased(), "a subscriber saw a version that did not increase"));
    }

    @Test
    void killingTheSubscriberConnectionMidRunReconnectsAndConverges() throws Exception {
        Node a = node("a", RedisAdmin.uri()).awaitHealthy();
        Node b = node("b", RedisAdmin.uri()).awaitHealthy();
        long eventId = a.ticketing.events().create(SELLER, Drafts.available("Kill", 10, 30, "A")).id();
        Recorder onB = b.subscribe(eventId);
        List<Long> before = RedisAdmin.clientIds(b.name + ":sub");
        assertEquals(1, before.size(), "B has exactly one subscriber connection");

        AtomicBoolean killed = new AtomicBoolean();
        Thread buyer = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                reserveOne(a, eventId, 500 + i);
                if (i == 100) {
                    RedisAdmin.kill(before.get(0));
                    killed.set(true);
                }
            }
        }, "it-buyer");
        buyer.start();
        buyer.join(30_000);
        assertTrue(killed.get());

        await("B subscribes again on a new connection", PATIENCE,
                () -> {
                    List<Long> now = RedisAdmin.clientIds(b.name + ":sub");
                    return b.broadcaster.isHealthy() && !now.isEmpty() && !now.equals(before);
                });
        assertEquals(1, RedisAdmin.clientIds(b.name + ":sub").size(), "still one subscriber connection per node");
        awaitConverged(List.of(onB), PATIENCE);
    }

    @Test
    void aNodeCutOffFromRedisHealsFromTheStoreWhenItIsBack() throws Exception {
        TcpProxy bToRedis = proxy();
        Node a = node("a", RedisAdmin.uri()).awaitHealthy();
        Node b = node("b", RedisAdmin.via(bToRedis.port()), s -> s.reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)))
                .awaitHealthy();
        long eventId = a.ticketing.events().create(SELLER, Drafts.available("Cut", 10, 10, "A")).id();
        Recorder onB = b.subscribe(eventId);

        bToRedis.cut();
        await("B reports the broadcaster down", PATIENCE, () -> !b.broadcaster.isHealthy());
        for (int i = 0; i < 20; i++) {
            reserveOne(a, eventId, 300 + i); // published by A while B cannot hear it
        }
        EventStatistics truth = truth(eventId);
        assertFalse(truth.equals(onB.latest()), "B missed A's changes while cut off");

        bToRedis.restore();
        b.awaitHealthy();
        await("B re-read the statistics from the store", PATIENCE, () -> truth.equals(onB.latest()), () -> "" + onB.latest());
    }

    @Test
    void whileRedisIsDownLocalChangesStillReachLocalSubscribersAndHealthIsDown() throws Exception {
        TcpProxy toRedis = proxy();
        Node a = node("a", RedisAdmin.via(toRedis.port())).awaitHealthy();
        long eventId = a.ticketing.events().create(SELLER, Drafts.gala()).id();
        Recorder onA = a.subscribe(eventId);

        toRedis.cut();
        await("A reports the broadcaster down", PATIENCE, () -> !a.broadcaster.isHealthy());
        reserveOne(a, eventId, 7);

        EventStatistics truth = truth(eventId);
        await("A's own subscriber gets A's change", PATIENCE, () -> truth.equals(onA.latest()), () -> "" + onA.latest());
        assertFalse(a.broadcaster.isHealthy());
        assertTrue(a.ticketing.isStoreHealthy());
        assertFalse(a.ticketing.isBroadcasterHealthy());
    }

    @Test
    void afterRedisIsCutAndRestoredEverySubscriberConvergesWithinFiveSeconds() throws Exception {
        TcpProxy toRedis = proxy();
        // default backoff settings: the 5 s promise must hold with them
        Node a = node("a", RedisAdmin.via(toRedis.port())).awaitHealthy();
        Node b = node("b", RedisAdmin.via(toRedis.port())).awaitHealthy();
        long first = a.ticketing.events().create(SELLER, Drafts.available("First", 10, 20, "A")).id();
        long second = a.ticketing.events().create(SELLER, Drafts.available("Second", 10, 20, "A")).id();
        List<Recorder> recorders = List.of(a.subscribe(first), a.subscribe(second), b.subscribe(first), b.subscribe(second));

        CountDownLatch running = new CountDownLatch(2);
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> buyers = new ArrayList<>();
        for (Node node : List.of(a, b)) {
            Thread t = new Thread(() -> {
                running.countDown();
                try {
                    keepChanging(node, first, second, node == a ? 1_000 : 2_000, stop);
                } catch (RuntimeException | Error e) {
                    failures.add(e);
                }
            }, "it-buyer-" + node.name);
            t.start();
            buyers.add(t);
        }
        running.await();

        try {
            toRedis.cut();
            await("both nodes report the broadcaster down", PATIENCE, () -> !a.broadcaster.isHealthy() && !b.broadcaster.isHealthy());
            long versionAtCut = truth(first).version();
            long cutAt = System.nanoTime();
            // long enough for the reconnect backoff to reach its 2 s maximum, the worst case for recovery
            await("changes happen during a 3 s outage", PATIENCE, () -> truth(first).version() > versionAtCut + 10
                    && System.nanoTime() - cutAt > Duration.ofSeconds(3).toNanos());
        } finally {
            stop.set(true);
        }
        for (Thread t : buyers) {
            t.join(30_000);
        }
        assertEquals(List.of(), failures);

        toRedis.restore();
        Instant restored = Instant.now();
        awaitConverged(recorders, Duration.ofSeconds(5));
        System.out.printf("Converged %d ms after Redis came back%n", Duration.between(restored, Instant.now()).toMillis());
        await("both nodes healthy again", PATIENCE, () -> a.broadcaster.isHealthy() && b.broadcaster.isHealthy());
    }

    @Test
    void closeStopsEveryThreadAndReturnsEveryConnection() {
        Node a = node("a", RedisAdmin.uri()).awaitHealthy();
        long eventId = a.ticketing.events().create(SELLER, Drafts.gala()).id();
        Recorder onA = a.subscribe(eventId);
        reserveOne(a, eventId, 7);
        await("the change arrives", PATIENCE, () -> onA.latest() != null && onA.latest().allocatedTickets() == 1);
        assertTrue(threadsNamed(a.name) >= 4, "sub, pub, heal and fan-out threads run");
        assertEquals(1, RedisAdmin.clientIds(a.name + ":sub").size());

        a.close();

        await("no thread of the node is left", PATIENCE, () -> threadsNamed(a.name) == 0, () -> "alive: " + threadNames(a.name));
        await("no connection of the node is left", PATIENCE, () -> RedisAdmin.clientIds(a.name + ":sub").isEmpty()
                && RedisAdmin.clientIds(a.name + ":pub").isEmpty());
    }

    @Test
    void snapshotsWaitingForRedisAreBoundedAndEachEventsNewestAreSentInOrderWhenItIsBack() throws Exception {
        TcpProxy toRedis = proxy();
        toRedis.cut();
        RedisStatisticsBroadcaster broadcaster = RedisStatisticsBroadcaster.builder()
                .redisUri(RedisAdmin.via(toRedis.port())).channelPrefix(prefix).clientName(RedisAdmin.unique("bounded"))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).maxPendingEvents(50)
                .maxPendingSnapshots(1_000).build();
        resources.add(broadcaster);
        try (ChannelSpy spy = new ChannelSpy(prefix)) {
            // published before start, so that no send attempt races with the counts below
            for (int version = 1; version <= 200; version++) {
                for (long eventId = 1; eventId <= 100; eventId++) {
                    broadcaster.publish(snapshot(eventId, version));
                }
            }
            assertEquals(50, broadcaster.pendingEvents(), "at most 50 events wait");
            assertEquals(50L * 200 + 50L * 180, broadcaster.droppedSnapshots(),
                    "the other 50 events' snapshots are dropped, and each waiting event keeps its newest 20 of 1,000");

            broadcaster.start(id -> java.util.Optional.empty());
            await("the broadcaster tries and fails to reach Redis", PATIENCE,
                    () -> !broadcaster.isHealthy() && broadcaster.pendingEvents() == 50);
            toRedis.restore();
            await("the 1,000 waiting snapshots are sent", PATIENCE, () -> spy.messages.size() >= 1_000);
            await("nothing is left waiting", PATIENCE, () -> broadcaster.pendingEvents() == 0);
            assertEquals(1_000, spy.messages.size(), "no backlog beyond the bounds");
            Map<Long, List<Long>> versions = new TreeMap<>();
            for (String m : spy.messages) {
                versions.computeIfAbsent(field(m, "eventId"), e -> new ArrayList<>()).add(field(m, "version"));
            }
            List<Long> newest20 = LongStream.rangeClosed(181, 200).boxed().toList();
            assertEquals(LongStream.rangeClosed(1, 50).boxed().toList(), List.copyOf(versions.keySet()));
            versions.forEach((eventId, sent) -> assertEquals(newest20, sent, "event " + eventId));
        }
    }

    @Test
    void everyChangeMadeWhileRedisWasAwayReachesTheOtherNodeInOrderWithItsSeats() throws Exception {
        TcpProxy toRedis = proxy();
        Node a = node("a", RedisAdmin.via(toRedis.port())).awaitHealthy();
        Node b = node("b", RedisAdmin.uri()).awaitHealthy();
        long eventId = a.ticketing.events().create(SELLER, Drafts.available("many", 10, 20, "A")).id();
        List<EventStatistics> snapshots = new CopyOnWriteArrayList<>();
        List<List<SeatChange>> seats = new CopyOnWriteArrayList<>();
        resources.add(b.broadcaster.subscribe(eventId, new StatisticsListener() {
            @Override
            public void onStatistics(EventStatistics statistics) {
                onUpdate(statistics, null);
            }

            @Override
            public void onUpdate(EventStatistics statistics, List<SeatChange> seatChanges) {
                snapshots.add(statistics);
                seats.add(seatChanges);
            }
        }));
        long before = truth(eventId).version();
        toRedis.cut();
        await("A's broadcaster is down", PATIENCE, () -> !a.broadcaster.isHealthy());

        for (int seat = 1; seat <= 150; seat++) {
            a.ticketing.reservations().reserve(eventId, ReservationRequest.seats(new SeatRef("A", 1, 1 + (seat - 1) / 20,
                    1 + (seat - 1) % 20)), null, User.buyer(100 + seat));
        }
        long last = truth(eventId).version();
        toRedis.restore();
        await("B's listener reaches the store's version", PATIENCE,
                () -> !snapshots.isEmpty() && snapshots.get(snapshots.size() - 1).version() == last,
                () -> snapshots.isEmpty() ? "nothing" : "v" + snapshots.get(snapshots.size() - 1).version());

        assertEquals(LongStream.rangeClosed(before + 1, last).boxed().toList(),
                snapshots.stream().map(EventStatistics::version).filter(v -> v > before).toList(),
                "every version, once, in order");
        for (int k = 0; k < snapshots.size(); k++) {
            if (snapshots.get(k).version() > before) {
                List<SeatChange> moved = seats.get(k);
                assertTrue(moved != null && moved.size() == 1 && moved.get(0).status() == SeatStatus.RESERVED,
                        "v" + snapshots.get(k).version() + " carries its one held seat: " + moved);
            }
        }
    }

    @Test
    void aSnapshotNotNewerThanTheLastOneSentIsNeverForwarded() throws Exception {
        RedisStatisticsBroadcaster broadcaster = RedisStatisticsBroadcaster.builder()
                .redisUri(RedisAdmin.uri()).channelPrefix(prefix).clientName(RedisAdmin.unique("ordered")).build();
        resources.add(broadcaster);
        broadcaster.start(id -> java.util.Optional.empty());
        await("connected", PATIENCE, broadcaster::isHealthy);
        try (ChannelSpy spy = new ChannelSpy(prefix)) {
            broadcaster.publish(snapshot(9, 5));
            await("v5 is sent", PATIENCE, () -> spy.messages.size() == 1);
            broadcaster.publish(snapshot(9, 3));
            broadcaster.publish(snapshot(9, 5));
            broadcaster.publish(snapshot(9, 6));
            await("v6 is sent", PATIENCE, () -> spy.messages.size() >= 2);
            assertEquals(2, spy.messages.size());
            assertTrue(spy.messages.get(0).contains("\"version\":5,") && spy.messages.get(1).contains("\"version\":6,"),
                    spy.messages.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        Await.until(condition, timeout, what);
    }

    /** Like {@link Await#until} but the failure also says what was seen. */
    private static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> seen) {
        try {
            Await.until(condition, timeout, what);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; seen " + seen.get(), e);
        }
    }

    private Node node(String role, java.net.URI redisUri) {
        return node(role, redisUri, s -> s);
    }

    private Node node(String role, java.net.URI redisUri, java.util.function.UnaryOperator<RedisStatisticsBroadcaster.Builder> settings) {
        Node node = Node.start(RedisAdmin.unique("it-node-" + role), store, redisUri, prefix, settings);
        resources.add(node);
        return node;
    }

    private TcpProxy proxy() throws java.io.IOException {
        TcpProxy proxy = new TcpProxy(RedisAdmin.uri().getHost(), RedisAdmin.uri().getPort());
        resources.add(proxy);
        return proxy;
    }

    private EventStatistics truth(long eventId) {
        return store.statistics(eventId).orElseThrow();
    }

    private void awaitConverged(List<Recorder> recorders, Duration timeout) {
        await("every subscriber has the store's final snapshot", timeout,
                () -> recorders.stream().allMatch(r -> r.latest() != null && r.latest().equals(truth(r.latest().eventId()))),
                () -> recorders.stream().map(r -> r.latest() == null ? "none"
                        : r.latest().eventId() + "@v" + r.latest().version() + " (store v" + truth(r.latest().eventId()).version() + ")")
                        .toList().toString());
    }

    /** Reserves and cancels seats on {@code node} in a random mix, {@code rounds} times. */
    private static void churn(Node node, long eventId, int buyer, int rounds) {
        for (int i = 0; i < rounds; i++) {
            churnOnce(node, eventId, buyer);
        }
    }

    private static void churnOnce(Node node, long eventId, int buyer) {
        Reservation held = reserveOne(node, eventId, buyer);
        if (held != null && ThreadLocalRandom.current().nextInt(3) == 0) {
            node.ticketing.reservations().cancel(held.id(), User.buyer(buyer));
        }
    }

    /**
     * Reserves seats of both events in turn and cancels the oldest holds beyond 20, so that versions keep
     * changing without selling out, until {@code stop}; paced to leave the shared machine some air.
     */
    private static void keepChanging(Node node, long first, long second, int buyer, AtomicBoolean stop) {
        Deque<Reservation> held = new ArrayDeque<>();
        for (int i = 0; i < 1_000_000 && !stop.get(); i++) {
            Reservation r = reserveOne(node, i % 2 == 0 ? first : second, buyer);
            if (r != null) {
                held.add(r);
            }
            if (held.size() > 20 || (r == null && !held.isEmpty())) {
                node.ticketing.reservations().cancel(held.poll().id(), User.buyer(buyer));
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private static Reservation reserveOne(Node node, long eventId, int buyer) {
        try {
            return node.ticketing.reservations()
                    .reserve(eventId, ReservationRequest.bestAvailable("A", 1, 1), null, User.buyer(buyer)).reservation();
        } catch (TicketingException soldOut) {
            return null;
        }
    }

    private static EventStatistics snapshot(long eventId, long version) {
        return new EventStatistics(eventId, version, EventStatus.AVAILABLE, 10, 10, 0, 0, List.of(), null,
                Instant.parse("2026-11-23T12:00:00Z"));
    }

    /** A number field of a message's JSON. */
    private static long field(String message, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(message);
        assertTrue(m.find(), name + " in " + message);
        return Long.parseLong(m.group(1));
    }

    private String json(EventStatistics statistics) {
        return new SnapshotCodec(prefix, "x").encode(new SnapshotUpdate(statistics, null)).substring("x ".length());
    }

    private static long threadsNamed(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains(part)).count();
    }

    private static List<String> threadNames(String part) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.contains(part)).toList();
    }

    /** Records every raw message on this test's channels, straight from Redis. */
    private static final class ChannelSpy implements AutoCloseable {
        final List<String> messages = new CopyOnWriteArrayList<>();
        private final JedisPubSub pubSub = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                messages.add(message);
            }

            @Override
            public void onPSubscribe(String pattern, int subscribedChannels) {
                subscribed.countDown();
            }
        };
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private final Thread thread;

        ChannelSpy(String prefix) throws InterruptedException {
            thread = new Thread(() -> {
                try (Jedis jedis = new Jedis(RedisAdmin.uri())) {
                    jedis.psubscribe(pubSub, prefix + "*");
                }
            }, "it-channel-spy");
            thread.setDaemon(true);
            thread.start();
            assertTrue(subscribed.await(10, TimeUnit.SECONDS), "spy subscribed");
        }

        @Override
        public void close() {
            pubSub.punsubscribe();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
