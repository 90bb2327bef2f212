package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ticketing.core.spi.ReservationPosition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
}
