package io.ticketing.core.model;

import java.util.List;

/**
 * Every seat of one subsection at one {@code version} of its event, one character per seat, row by row
 * then seat by seat ({@code rows × cols} characters): {@code a} available, {@code r} reserved (held),
 * {@code s} sold. The data of a {@code seat_map} frame.
 */
public record SeatMap(long eventId, long version, String section, int subsection, int rows, int cols, String seats) {
    public SeatMap {
        if (seats.length() != rows * cols) {
            throw new IllegalArgumentException("a seat map of " + rows + " x " + cols + " has " + rows * cols
                    + " seats, not " + seats.length());
        }
    }

    /** The character that stands for {@code status} in {@link #seats}. */
    public static char code(SeatStatus status) {
        return status.wireName().charAt(0);
    }

    /** The status that a one-character {@code code} of {@link #seats} stands for. */
    public static SeatStatus status(String code) {
        for (SeatStatus s : SeatStatus.values()) {
            if (code.length() == 1 && code(s) == code.charAt(0)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a seat status code: " + code);
    }

    /** The map of {@code seats} (every seat of the subsection, ordered by row then seat). */
    public static SeatMap of(long eventId, long version, String section, int subsection, int rows, int cols,
                             List<Seat> seats) {
        char[] codes = new char[seats.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = code(seats.get(i).status());
        }
        return new SeatMap(eventId, version, section, subsection, rows, cols, new String(codes));
    }
}
