package io.ticketing.core.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BestAvailableTest {

    /** A row from a picture: '.' available, 'x' taken. */
    private static byte[] row(String picture) {
        byte[] seats = new byte[picture.length()];
        for (int i = 0; i < seats.length; i++) {
            seats[i] = (byte) (picture.charAt(i) == '.' ? 0 : 1);
        }
        return seats;
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
            int cols = 1 + random.nextInt(30);
            byte[] seats = new byte[cols];
            for (int i = 0; i < cols; i++) {
                seats[i] = (byte) (random.nextInt(4) == 0 ? 1 : 0);
            }
            int quantity = 1 + random.nextInt(Math.min(cols, 8));
            assertEquals(everyStart(seats, quantity), BestAvailable.bestRun(seats, 0, cols, quantity),
                    java.util.Arrays.toString(seats) + " q=" + quantity);
        }
    }

    /** The ranking of the contract, start by start: fewest newly stranded, then nearest the middle, then lowest. */
    private static int everyStart(byte[] seats, int quantity) {
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
    private static boolean alone(byte[] seats, int i, int start, int quantity) {
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
