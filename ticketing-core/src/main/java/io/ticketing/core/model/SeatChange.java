package io.ticketing.core.model;

import java.util.ArrayList;
import java.util.List;

/** One seat's new status after a change: the items of a {@code seat_changes} frame. */
public record SeatChange(String section, int subsection, int row, int seat, SeatStatus status) {

    /** Every seat of {@code seats} moved to {@code status}, in the given order. */
    public static List<SeatChange> of(List<ReservedSeat> seats, SeatStatus status) {
        List<SeatChange> changes = new ArrayList<>(seats.size());
        for (ReservedSeat s : seats) {
            changes.add(new SeatChange(s.section(), s.subsection(), s.row(), s.seat(), status));
        }
        return List.copyOf(changes);
    }
}
