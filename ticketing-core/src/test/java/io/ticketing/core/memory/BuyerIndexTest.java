package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ticketing.core.spi.ReservationPosition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BuyerIndexTest {
    private static final long BUYER = 7;
    private final BuyerIndex index = new BuyerIndex();

    private List<BuyerIndex.Entry> after(ReservationPosition position) {
        List<BuyerIndex.Entry> entries = new ArrayList<>();
        index.after(BUYER, position).forEachRemaining(entries::add);
        return entries;
    }

    private static ReservationPosition position(long micros, String id) {
        return new ReservationPosition(micros, id);
    }

    @Test
    void entriesComeNewestFirstThenGreaterRowFirst() {
        index.add(BUYER, 100, 3);
        index.add(BUYER, 200, 1);
        index.add(BUYER, 100, 16);
        assertEquals(List.of(new BuyerIndex.Entry(200, 1), new BuyerIndex.Entry(100, 16), new BuyerIndex.Entry(100, 3)),
                after(null));
    }

    @Test
    void aPositionSkipsItsOwnRowAndEverythingBeforeIt() {
        index.add(BUYER, 100, 3);
        index.add(BUYER, 100, 16);
        index.add(BUYER, 50, 20);
        assertEquals(List.of(new BuyerIndex.Entry(100, 3), new BuyerIndex.Entry(50, 20)),
                after(position(100, ReservationTable.idPrefix(16) + "0".repeat(24))));
    }

    @Test
    void aPositionWhoseIdNoRowHasFallsWhereItsTextSorts() {
        index.add(BUYER, 100, 15);
        index.add(BUYER, 100, 16);
        // "r-0000000g" sorts after row 15's "r-0000000f" and before row 16's "r-00000010"
        assertEquals(List.of(new BuyerIndex.Entry(100, 15)), after(position(100, "r-0000000g")));
        assertEquals(List.of(), after(position(100, "a")));
        assertEquals(List.of(new BuyerIndex.Entry(100, 16), new BuyerIndex.Entry(100, 15)),
                after(position(100, "s")));
    }

    @Test
    void aBuyerWhoseEntriesAreRemovedHasNone() {
        index.add(BUYER, 100, 3);
        index.remove(BUYER, new BuyerIndex.Entry(100, 3));
        Iterator<BuyerIndex.Entry> none = index.after(BUYER, null);
        assertFalse(none.hasNext());
    }

    @Test
    void agreesWithASortedSetThroughRandomAddsRemovalsAndCompactions() {
        Random random = new Random(20261206);
        NavigableSet<BuyerIndex.Entry> model = new TreeSet<>();
        List<BuyerIndex.Entry> added = new ArrayList<>();
        long clock = 1_000;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(3) > 0 || added.isEmpty()) {
                // mostly in creation order, now and then a racing thread's earlier clock reading
                clock += random.nextInt(4);
                BuyerIndex.Entry e = new BuyerIndex.Entry(clock - random.nextInt(random.nextInt(10) == 0 ? 50 : 1),
                        step);
                index.add(BUYER, e.createdMicros(), e.row());
                model.add(e);
                added.add(e);
            } else {
                // mostly the oldest go first (as retention forgets them), some from the middle
                int at = random.nextInt(4) == 0 ? random.nextInt(added.size()) : 0;
                BuyerIndex.Entry e = added.remove(at);
                index.remove(BUYER, e);
                model.remove(e);
            }
            if (step % 997 == 0) {
                assertEquals(List.copyOf(model), after(null));
                BuyerIndex.Entry from = model.isEmpty() ? null : List.copyOf(model).get(model.size() / 2);
                if (from != null) {
                    ReservationPosition p = position(from.createdMicros(),
                            ReservationTable.idPrefix(from.row()) + "0".repeat(24));
                    assertEquals(List.copyOf(model.tailSet(from, false)), after(p));
                }
            }
        }
        added.forEach(e -> index.remove(BUYER, e));
        assertFalse(index.after(BUYER, null).hasNext());
    }

    @Test
    void aWalkSeesRemovalsThatHappenAsItGoes() {
        for (int row = 0; row < 100; row++) {
            index.add(BUYER, 100 + row, row);
        }
        Iterator<BuyerIndex.Entry> walk = index.after(BUYER, null);
        assertEquals(new BuyerIndex.Entry(199, 99), walk.next());
        for (int row = 0; row < 98; row++) {
            index.remove(BUYER, new BuyerIndex.Entry(100 + row, row)); // compacts on the way
        }
        index.add(BUYER, 150, 500); // newer than the walk's next entries but older than where it stands
        List<BuyerIndex.Entry> rest = new ArrayList<>();
        walk.forEachRemaining(rest::add);
        assertEquals(List.of(new BuyerIndex.Entry(198, 98), new BuyerIndex.Entry(150, 500)), rest);
    }
}
