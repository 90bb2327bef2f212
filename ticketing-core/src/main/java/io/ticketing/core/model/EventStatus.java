package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Lifecycle of an event. {@link #SOLD_OUT} is set and cleared by the system as seats run out and come
 * back; a seller moves an event along {@code draft → available → ended | completed}.
 */
public enum EventStatus {
    DRAFT, AVAILABLE, SOLD_OUT, ENDED, COMPLETED;

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name used in JSON ({@code sold_out}). */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the allowed values. */
    @JsonCreator
    public static EventStatus fromWire(String value) {
        for (EventStatus s : values()) {
            if (s.wireName.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status must be one of draft, available, sold_out, ended, completed");
    }

    /** Whether a seller may move an event from this status to {@code target}. */
    public boolean sellerMayMoveTo(EventStatus target) {
        return switch (this) {
            case DRAFT -> target == AVAILABLE;
            case AVAILABLE, SOLD_OUT -> target == ENDED || target == COMPLETED;
            case ENDED, COMPLETED -> false;
        };
    }

    /** Whether the event is over: no reservations, no refunds. */
    public boolean isOver() {
        return this == ENDED || this == COMPLETED;
    }
}
