package io.ticketing.core.model;

/** A seat as part of a reservation, with the price it was reserved at. */
public record ReservedSeat(String section, int subsection, int row, int seat, long price) {
    public SeatRef ref() {
        return new SeatRef(section, subsection, row, seat);
    }
}
