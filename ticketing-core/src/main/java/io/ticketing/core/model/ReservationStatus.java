package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** State of a reservation. Only {@link #HELD} and {@link #CONFIRMED} own seats. */
public enum ReservationStatus {
    HELD, CONFIRMED, CANCELLED, EXPIRED;

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name such as {@code held}. */
    public static ReservationStatus fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
