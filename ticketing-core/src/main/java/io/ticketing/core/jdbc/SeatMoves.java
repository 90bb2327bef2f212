package io.ticketing.core.jdbc;

import io.ticketing.core.model.SeatStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seats that one change moved from one status to another, counted per subsection. */
final class SeatMoves {
    record Subsection(String section, int subsection) {
    }

    final SeatStatus from;
    final SeatStatus to;
    private final Map<Subsection, Integer> counts = new LinkedHashMap<>();
    private int total;

    SeatMoves(SeatStatus from, SeatStatus to) {
        this.from = from;
        this.to = to;
    }

    SeatMoves add(String section, int subsection, int seats) {
        counts.merge(new Subsection(section, subsection), seats, Integer::sum);
        total += seats;
        return this;
    }

    int total() {
        return total;
    }

    Map<Subsection, Integer> perSubsection() {
        return counts;
    }

    /** How a count of {@code status} changes when {@code seats} seats move: −seats, +seats or 0. */
    int delta(SeatStatus status, int seats) {
        return (status == to ? seats : 0) - (status == from ? seats : 0);
    }
}
