package io.ticketing.core.model;

/** A seller's change to an event: a new status, a new {@code active} flag, or both (null = unchanged). */
public record EventPatch(EventStatus status, Boolean active) {
}
