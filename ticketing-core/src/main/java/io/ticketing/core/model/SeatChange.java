package io.ticketing.core.model;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** One seat's new status after a change: the items of a {@code seat_changes} frame. */
public record SeatChange(String section, int subsection, int row, int seat, SeatStatus status) {

    /**
     * Every seat of {@code seats} moved to {@code status}, in the given order: an unmodifiable view that makes
     * each item when it is read, so a change nobody reads costs one small object, not one per seat.
     * {@code seats} must not change afterwards (a {@link Reservation}'s seats never do).
     */
    public static List<SeatChange> of(List<ReservedSeat> seats, SeatStatus status) {
        return new Moved(seats, status);
    }

    /**
     * An unmodifiable list of the same changes in the same order: {@code changes} itself when it already is
     * one (made by {@link #of}, or by {@link List#of} and its kin), else a copy. Like {@link List#copyOf},
     * refuses null items.
     */
    public static List<SeatChange> copyOf(List<SeatChange> changes) {
        return changes instanceof Moved ? changes : List.copyOf(changes);
    }

    private static final class Moved extends AbstractList<SeatChange> implements RandomAccess {
        private final List<ReservedSeat> seats;
        private final SeatStatus status;

        Moved(List<ReservedSeat> seats, SeatStatus status) {
            this.seats = seats;
            this.status = status;
        }

        @Override
        public SeatChange get(int index) {
            ReservedSeat s = seats.get(index);
            return new SeatChange(s.section(), s.subsection(), s.row(), s.seat(), status);
        }

        @Override
        public int size() {
            return seats.size();
        }
    }
}
