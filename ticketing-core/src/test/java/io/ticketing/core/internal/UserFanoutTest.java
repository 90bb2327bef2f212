package io.ticketing.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.Subscription;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UserFanoutTest {
    private static final User SELLER = User.seller(5);

    @Test
    void hasListenerFollowsSubscriptions() {
        UserFanout fanout = new UserFanout();
        assertFalse(fanout.hasListener(SELLER));
        Subscription first = fanout.subscribe(SELLER, update -> { });
        Subscription second = fanout.subscribe(SELLER, update -> { });
        assertTrue(fanout.hasListener(SELLER));
        assertFalse(fanout.hasListener(User.buyer(5)), "another user (same id, other role)");
        first.close();
        assertTrue(fanout.hasListener(SELLER));
        second.close();
        assertFalse(fanout.hasListener(SELLER));
    }

    /** A listener that subscribes while the user's only other listener leaves is kept, and delivered to. */
    @Test
    void aListenerJoiningAsTheLastOtherLeavesIsKept() throws Exception {
        UserFanout fanout = new UserFanout();
        CyclicBarrier together = new CyclicBarrier(2);
        for (int round = 0; round < 5_000; round++) {
            Subscription leaving = fanout.subscribe(SELLER, update -> { });
            AtomicInteger received = new AtomicInteger();
            CompletableFuture<Subscription> joined = CompletableFuture.supplyAsync(() -> {
                await(together);
                return fanout.subscribe(SELLER, update -> received.incrementAndGet());
            });
            await(together);
            leaving.close();
            Subscription joining = joined.get(30, TimeUnit.SECONDS);
            assertTrue(fanout.hasListener(SELLER), "round " + round);
            fanout.deliver(UserUpdate.eventCreated(SELLER.id(), 1));
            assertEquals(1, received.get(), "round " + round);
            joining.close();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
