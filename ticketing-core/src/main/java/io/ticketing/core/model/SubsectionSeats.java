package io.ticketing.core.model;

import java.util.List;

/** Every seat of one subsection, ordered by row then seat. */
public record SubsectionSeats(long eventId, String section, int subsection, List<Seat> seats) {
    public SubsectionSeats {
        seats = List.copyOf(seats);
    }
}
