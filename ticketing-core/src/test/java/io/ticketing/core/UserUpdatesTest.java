package io.ticketing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.memory.InProcessBroadcaster;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationPage;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.ForwardingStatisticsBroadcaster;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.testing.Drafts;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A buyer's reservation updates are published only while the buyer may be listening, and none is lost. */
class UserUpdatesTest {
    private static final User SELLER = User.seller(3);

    private final CountingBroadcaster broadcaster = new CountingBroadcaster();
    private final Ticketing ticketing = Ticketing.builder().broadcaster(broadcaster).build();

    @AfterEach
    void close() {
        ticketing.close();
    }

    @Test
    void aBuyersUpdateIsPublishedOnlyWhileTheBuyerHasAListener() {
        long eventId = ticketing.events().create(SELLER, Drafts.available("e", 2, 2)).id();
        User buyer = User.buyer(7);
        ReservationRequest one = ReservationRequest.bestAvailable("A", 1, 1);

        String unheard = ticketing.reservations().reserve(eventId, one, null, buyer).reservation().id();
        ticketing.reservations().cancel(unheard, buyer);
        assertEquals(0, broadcaster.userUpdates.get(), "no listener: no update built nor published");

        List<UserUpdate> received = new ArrayList<>();
        Subscription subscription = ticketing.statistics().subscribe(buyer, received::add);
        String heard = ticketing.reservations().reserve(eventId, one, null, buyer).reservation().id();
        ticketing.reservations().reserve(eventId, one, null, User.buyer(8));
        ticketing.reservations().cancel(heard, buyer);
        assertEquals(List.of(ReservationStatus.HELD, ReservationStatus.CANCELLED),
                received.stream().map(u -> u.reservation().status()).toList());
        assertEquals(2, broadcaster.userUpdates.get(), "the other buyer has no listener");

        subscription.close();
        ticketing.reservations().reserve(eventId, one, null, buyer);
        assertEquals(2, broadcaster.userUpdates.get(), "the listener closed: nothing more published");
    }

    @Test
    void aBroadcasterThatCannotTellWhetherABuyerListensGetsTheUpdateAndTheReservationStands() {
        broadcaster.failToTell = true;
        long eventId = ticketing.events().create(SELLER, Drafts.available("e", 2, 2)).id();
        User buyer = User.buyer(7);
        String id = ticketing.reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 1), null, buyer)
                .reservation().id();
        assertEquals(1, broadcaster.userUpdates.get(), "published as if a listener may exist");
        assertEquals(List.of(id), heldIds(buyer));
    }

    /**
     * Buyers reserve while, for each, a listener subscribes at some point and then reads the buyer's holds, as
     * {@code /me/stream} does: what it read plus what it was sent covers every hold, whenever it subscribed.
     */
    @Test
    void aListenerThatSubscribesThenReadsMissesNoHoldWhileBuyersReserve() throws Exception {
        int buyers = 40;
        int holdsEach = 30;
        long eventId = ticketing.events().create(SELLER, Drafts.available("e", buyers, holdsEach)).id();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            List<Set<String>> seen = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int b = 0; b < buyers; b++) {
                User buyer = User.buyer(100 + b);
                Set<String> ids = ConcurrentHashMap.newKeySet();
                seen.add(ids);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < holdsEach; i++) {
                        ticketing.reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 1),
                                null, buyer);
                    }
                    return null;
                }));
                int after = b % holdsEach;
                done.add(pool.submit(() -> {
                    start.await();
                    awaitHolds(buyer, after);
                    ticketing.statistics().subscribe(buyer, update -> ids.add(update.reservation().id()));
                    ids.addAll(heldIds(buyer));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (int b = 0; b < buyers; b++) {
                assertEquals(Set.copyOf(heldIds(User.buyer(100 + b))), seen.get(b), "buyer " + b);
                assertEquals(holdsEach, seen.get(b).size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitHolds(User buyer, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (heldIds(buyer).size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private List<String> heldIds(User buyer) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            ReservationPage page = ticketing.reservations().listOwn(buyer, null, ReservationStatus.HELD, 200, cursor);
            page.items().stream().map(Reservation::id).forEach(ids::add);
            cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
    }

    /** The in-process broadcaster, counting the reservation updates handed to it. */
    private static final class CountingBroadcaster extends ForwardingStatisticsBroadcaster {
        final AtomicInteger userUpdates = new AtomicInteger();
        volatile boolean failToTell;

        CountingBroadcaster() {
            super(new InProcessBroadcaster());
        }

        @Override
        public boolean hasUserListener(User user) {
            if (failToTell) {
                throw new IllegalStateException("cannot tell");
            }
            return super.hasUserListener(user);
        }

        @Override
        public void publish(UserUpdate update) {
            if (update.reservation() != null) {
                userUpdates.incrementAndGet();
            }
            super.publish(update);
        }
    }
}
