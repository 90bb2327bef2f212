package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** State of one seat: {@code available}, {@code reserved} (held, not yet paid) or {@code sold}. */
public enum SeatStatus {
    AVAILABLE, RESERVED, SOLD;

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
