package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BuyerSeatCountsTest {
    private final BuyerSeatCounts counts = new BuyerSeatCounts();

    @Test
    void aBuyerWithNoSeatsCountsZeroAndReleasingEverythingForgetsThem() {
        assertEquals(0, counts.get(42));
        assertEquals(3, counts.add(42, 3));
        assertEquals(5, counts.add(42, 2));
        assertEquals(0, counts.add(42, -5));
        assertEquals(0, counts.get(42));
        assertEquals(0, counts.add(42, -1)); // never below zero
    }

    @Test
    void agreesWithAMapThroughGrowthCollisionsRemovalsAndShrinking() {
        Random random = new Random(20261206);
        Map<Long, Integer> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // few distinct ids at first (collisions, removals inside probe runs), then many (growth), then few
            int spread = step < 50_000 ? 40 : step < 150_000 ? 5_000 : 10;
            long buyer = random.nextInt(spread) * 1_048_576L + (step < 150_000 ? 0 : 7);
            int had = model.getOrDefault(buyer, 0);
            int delta = had > 0 && random.nextBoolean() ? -had : random.nextInt(4) + 1;
            int after = counts.add(buyer, delta);
            assertEquals(Math.max(0, had + delta), after);
            if (after == 0) {
                model.remove(buyer);
            } else {
                model.put(buyer, after);
            }
            if (step % 10_007 == 0) {
                model.forEach((b, c) -> assertEquals(c, counts.get(b)));
                for (long b = 0; b < 50; b++) {
                    assertEquals(model.getOrDefault(b * 1_048_576L + 3, 0), counts.get(b * 1_048_576L + 3));
                }
            }
        }
        model.forEach((b, c) -> assertEquals(c, counts.get(b)));
        model.forEach((b, c) -> counts.add(b, -c));
        model.keySet().forEach(b -> assertEquals(0, counts.get(b)));
    }
}
