package io.ticketing.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One entry of an event's change log: the change that made {@code version}, who made it, when, and the seats
 * it moved with their new status (empty for a creation or a status change).
 */
public record LoggedChange(long version, ChangeType type, String actor, Instant at, List<SeatChange> seats) {
    public LoggedChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        seats = List.copyOf(seats);
    }

    /** The entry of a change described by {@code lastEvent} at {@code version}. */
    public static LoggedChange of(long version, LastEvent lastEvent, List<SeatChange> seats) {
        return new LoggedChange(version, lastEvent.type(), lastEvent.actor(), lastEvent.at(), seats);
    }
}
