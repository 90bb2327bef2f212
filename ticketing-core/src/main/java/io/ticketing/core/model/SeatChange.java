package io.ticketing.core.model;

import java.util.List;

/** One seat's new status after a change: the items of a {@code seat_changes} frame. */
public record SeatChange(String section, int subsection, int row, int seat, SeatStatus status) {

    /** Every seat of {@code seats} moved to {@code status}, in the given order. */
    public static List<SeatChange> of(List<ReservedSeat> seats, SeatStatus status) {
        SeatChange[] changes = new SeatChange[seats.size()];
        for (int i = 0; i < changes.length; i++) {
            ReservedSeat s = seats.get(i);
            changes[i] = new SeatChange(s.section(), s.subsection(), s.row(), s.seat(), status);
        }
        return List.of(changes); // one copy, none for one or two seats
    }
}
