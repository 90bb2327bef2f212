package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ticketing.core.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BuyerActorsTest {
    private final BuyerActors actors = new BuyerActors();

    @Test
    void aBuyersActorIsTheUsersAndIsMadeOnceWhileItKeepsItsSlot() {
        String first = actors.of(1001);
        assertEquals(User.buyer(1001).actor(), first);
        assertSame(first, actors.of(1001));
        assertEquals("buyer:0", actors.of(0));
        assertEquals("buyer:" + Long.MAX_VALUE, actors.of(Long.MAX_VALUE));
    }

    @Test
    void buyersSharingASlotEachGetTheirOwnActor() {
        // 50,000 ids over 4,096 slots: every slot is shared, and the ids are asked for again in another order
        SplittableRandom random = new SplittableRandom(20261207);
        long[] ids = new long[50_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextLong(1, Long.MAX_VALUE);
            assertEquals("buyer:" + ids[i], actors.of(ids[i]));
        }
        for (int i = ids.length - 1; i >= 0; i -= 7) {
            assertEquals("buyer:" + ids[i], actors.of(ids[i]));
        }
    }

    @Test
    void threadsAskingForOverlappingBuyersAlwaysGetTheRightActor() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int wrong = 0;
                    for (int i = 0; i < 200_000; i++) {
                        long id = random.nextLong(20_000); // more buyers than slots: slots change hands all the time
                        if (!actors.of(id).equals("buyer:" + id)) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> r : results) {
                assertEquals(0, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
