package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A consistent snapshot of an event's seat counts, taken in the same atomic step as the change that
 * produced it. {@code remainingTickets + allocatedTickets + confirmedTickets == totalTickets}, in total
 * and per subsection; {@code version} grows by at least one with every change of seats or status.
 * {@code timestamp} is when that change happened, so two snapshots with the same version are equal.
 * {@code sections} is {@code null} only in summaries (event lists).
 */
public record EventStatistics(long eventId, long version, EventStatus status, int totalTickets,
                              int remainingTickets, int allocatedTickets, int confirmedTickets,
                              @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<SubsectionStatistics> sections,
                              LastEvent lastEvent, Instant timestamp) {
    public EventStatistics {
        sections = sections == null ? null : List.copyOf(sections);
    }

    /** The same figures without the per-subsection breakdown. */
    public EventStatistics summary() {
        return new EventStatistics(eventId, version, status, totalTickets, remainingTickets, allocatedTickets,
                confirmedTickets, null, lastEvent, timestamp);
    }
}
