package io.ticketing.core.model;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An event as stored. {@code active == false} means unpublished: hidden from public lists and closed
 * to reservations, whatever the status. {@code description} and {@code venueName} may be null; null {@code rules}
 * become {@link EventRules#NONE}.
 */
public record Event(long id, String name, @Nullable String description, @Nullable String venueName, long sellerId,
                    EventStatus status, boolean active, SeatingConfig seatingConfig, Instant createdAt,
                    EventRules rules) {

    public Event {
        rules = rules == null ? EventRules.NONE : rules;
    }

    public Event withStatus(EventStatus newStatus) {
        return new Event(id, name, description, venueName, sellerId, newStatus, active, seatingConfig, createdAt, rules);
    }

    public Event withActive(boolean newActive) {
        return new Event(id, name, description, venueName, sellerId, status, newActive, seatingConfig, createdAt, rules);
    }

    public Event withRules(EventRules newRules) {
        return new Event(id, name, description, venueName, sellerId, status, active, seatingConfig, createdAt, newRules);
    }

    /** Whether buyers may reserve seats now. */
    public boolean isOnSale() {
        return active && status == EventStatus.AVAILABLE;
    }

    /** Whether {@code viewer} (null = anonymous) may see this event at all: drafts only for their seller. */
    public boolean isVisibleTo(@Nullable User viewer) {
        return status != EventStatus.DRAFT || isSeller(viewer);
    }

    /** Whether {@code user} is this event's seller. */
    public boolean isSeller(User user) {
        return user != null && user.role() == Role.SELLER && user.id() == sellerId;
    }
}
