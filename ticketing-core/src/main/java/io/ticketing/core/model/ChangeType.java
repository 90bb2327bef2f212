package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What kind of change produced a statistics snapshot ({@link LastEvent#type()}). */
public enum ChangeType {
    EVENT_CREATED("event.created"),
    EVENT_STATUS_CHANGED("event.status_changed"),
    TICKET_RESERVED("ticket.reserved"),
    TICKET_CONFIRMED("ticket.confirmed"),
    TICKET_RELEASED("ticket.released"),
    TICKET_EXPIRED("ticket.expired");

    private final String wireName;

    ChangeType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static ChangeType fromWire(String value) {
        for (ChangeType t : values()) {
            if (t.wireName.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown change type: " + value);
    }
}
