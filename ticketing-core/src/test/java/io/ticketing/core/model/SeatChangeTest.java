package io.ticketing.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeatChangeTest {
    private static final List<ReservedSeat> SEATS = List.of(new ReservedSeat("A", 1, 2, 3, 1000),
            new ReservedSeat("A", 1, 2, 4, 1000));

    @Test
    void ofMakesEachSeatsChangeInOrderAndCannotBeChanged() {
        List<SeatChange> changes = SeatChange.of(SEATS, SeatStatus.SOLD);
        assertEquals(List.of(new SeatChange("A", 1, 2, 3, SeatStatus.SOLD), new SeatChange("A", 1, 2, 4, SeatStatus.SOLD)),
                changes);
        assertThrows(UnsupportedOperationException.class, () -> changes.remove(0));
        assertThrows(UnsupportedOperationException.class, () -> changes.set(0, changes.get(1)));
    }

    @Test
    void copyOfKeepsAListThatIsAlreadyUnmodifiable() {
        List<SeatChange> made = SeatChange.of(SEATS, SeatStatus.RESERVED);
        assertSame(made, SeatChange.copyOf(made));
        List<SeatChange> listed = List.of(new SeatChange("B", 2, 1, 1, SeatStatus.AVAILABLE));
        assertSame(listed, SeatChange.copyOf(listed));
    }

    @Test
    void copyOfCopiesAListThatMayChangeAndRefusesNullItems() {
        List<SeatChange> mutable = new ArrayList<>(SeatChange.of(SEATS, SeatStatus.RESERVED));
        List<SeatChange> copy = SeatChange.copyOf(mutable);
        mutable.clear();
        assertEquals(2, copy.size());
        assertThrows(UnsupportedOperationException.class, copy::clear);
        assertThrows(NullPointerException.class, () -> SeatChange.copyOf(Arrays.asList((SeatChange) null)));
    }
}
