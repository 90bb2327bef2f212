package io.ticketing.core.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BestAvailableTest {

    /** A row from a picture: '.' available, 'x' taken. */
    private static long[] row(String picture) {
        return bits(picture.chars().map(c -> c == '.' ? 0 : 1).toArray(), 0);
    }

    /** {@link BestAvailable}'s bits of seats {@code taken} (0: available) placed from seat {@code from} on. */
    private static long[] bits(int[] taken, int from) {
        long[] free = new long[(from + taken.length + 63) / 64 + 1];
        for (int i = 0; i < taken.length; i++) {
            if (taken[i] == 0) {
                free[(from + i) / 64] |= 1L << (from + i);
            }
        }
        return free;
    }

    @Test
    void aRunCanGiveItsOwnLengthOrTwoLessWithoutStranding() {
        long three = BestAvailable.cleanFits(3);
        assertTrue(BestAvailable.has(three, 1));
        assertFalse(BestAvailable.has(three, 2), "a pair out of three strands the third");
        assertTrue(BestAvailable.hasRun(three, 2));
        assertTrue(BestAvailable.has(three, 3));
        assertFalse(BestAvailable.hasRun(three, 4));
        assertFalse(BestAvailable.has(BestAvailable.cleanFits(2), 1));
        assertTrue(BestAvailable.has(BestAvailable.cleanFits(1), 1));
    }

    @Test
    void masksAnswerForEveryQuantityAndRunLength() {
        for (int length = 1; length <= 1000; length++) {
            long mask = BestAvailable.cleanFits(length);
            for (int q = 1; q <= BestAvailable.MAX_QUANTITY; q++) {
                assertEquals(q <= length, BestAvailable.hasRun(mask, q), length + "/" + q);
                assertEquals(q == length || q <= length - 2, BestAvailable.has(mask, q), length + "/" + q);
            }
        }
    }

    @Test
    void aRowsMaskIsTheOrOfItsRuns() {
        assertEquals(BestAvailable.cleanFits(2) | BestAvailable.cleanFits(1),
                BestAvailable.rowMask(row("x..x.xxxxx"), 0, 10));
        assertEquals(0, BestAvailable.rowMask(row("xxxx"), 0, 4));
    }

    @Test
    void bestRunStrandsFewestThenCentresThenTakesTheLowerSeat() {
        assertEquals(2, BestAvailable.bestRun(row("xx..."), 0, 5, 2), "the contract's example: seats 3-4");
        assertEquals(0, BestAvailable.bestRun(row("...."), 0, 4, 1), "2 and 3 would strand an end seat");
        assertEquals(4, BestAvailable.bestRun(row(".........."), 0, 10, 2), "5-6 sit in the middle");
        assertEquals(-1, BestAvailable.bestRun(row(".x.x."), 0, 5, 2));
        assertEquals(3, BestAvailable.bestRun(row("x..x....x"), 1, 8, 2), "rows are read from their offset");
    }

    @Test
    void bestRunAgreesWithRankingEveryStart() {
        java.util.Random random = new java.util.Random(20);
        for (int trial = 0; trial < 20_000; trial++) {
            // rows up to 3 words long, at any bit offset, so runs cross words and rows share words
            int cols = 1 + (trial % 4 == 0 ? random.nextInt(200) : random.nextInt(30));
            int from = random.nextInt(130);
            int[] seats = new int[cols];
            double taken = random.nextInt(3) == 0 ? 0.05 : 0.25;
            for (int i = 0; i < cols; i++) {
                seats[i] = random.nextDouble() < taken ? 1 : 0;
            }
            int quantity = 1 + random.nextInt(Math.min(cols, 8));
            long[] free = bits(seats, from);
            String what = java.util.Arrays.toString(seats) + " from " + from + " q=" + quantity;
            assertEquals(everyStart(seats, quantity), BestAvailable.bestRun(free, from, cols, quantity), what);
            assertEquals(everyRun(seats), BestAvailable.rowMask(free, from, cols), what);
        }
    }

    /** The OR of {@link BestAvailable#cleanFits} over the maximal runs, seat by seat. */
    private static long everyRun(int[] seats) {
        long mask = 0;
        int run = 0;
        for (int i = 0; i <= seats.length; i++) {
            if (i < seats.length && seats[i] == 0) {
                run++;
            } else if (run > 0) {
                mask |= BestAvailable.cleanFits(run);
                run = 0;
            }
        }
        return mask;
    }

    /** The ranking of the contract, start by start: fewest newly stranded, then nearest the middle, then lowest. */
    private static int everyStart(int[] seats, int quantity) {
        int cols = seats.length;
        int best = -1;
        double bestStranded = 0;
        double bestDistance = 0;
        for (int s = 0; s + quantity <= cols; s++) {
            boolean free = true;
            for (int k = s; k < s + quantity; k++) {
                free &= seats[k] == 0;
            }
            if (!free) {
                continue;
            }
            int stranded = (alone(seats, s - 1, s, quantity) ? 1 : 0) + (alone(seats, s + quantity, s, quantity) ? 1 : 0);
            double distance = Math.abs((s + (quantity - 1) / 2.0) - (cols - 1) / 2.0);
            if (best < 0 || stranded < bestStranded || stranded == bestStranded && distance < bestDistance) {
                best = s;
                bestStranded = stranded;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Whether seat {@code i}, available, is left alone by taking {@code quantity} from {@code start}, and was not before. */
    private static boolean alone(int[] seats, int i, int start, int quantity) {
        if (i < 0 || i >= seats.length || seats[i] != 0) {
            return false;
        }
        boolean leftTaken = i == 0 || seats[i - 1] != 0 || (i - 1 >= start && i - 1 < start + quantity);
        boolean rightTaken = i == seats.length - 1 || seats[i + 1] != 0 || (i + 1 >= start && i + 1 < start + quantity);
        boolean wasAlone = (i == 0 || seats[i - 1] != 0) && (i == seats.length - 1 || seats[i + 1] != 0);
        return leftTaken && rightTaken && !wasAlone;
    }

    @Test
    void separateSeatsComeFromTheMiddleOutLowerFirst() {
        int[] into = new int[4];
        assertEquals(4, BestAvailable.nearMiddle(row("......"), 0, 6, into, 0, 4));
        assertArrayEquals(new int[] {2, 3, 1, 4}, into);
        int[] odd = new int[3];
        assertEquals(3, BestAvailable.nearMiddle(row(".x..."), 0, 5, odd, 0, 3));
        assertArrayEquals(new int[] {2, 3, 0}, odd);
    }
}
