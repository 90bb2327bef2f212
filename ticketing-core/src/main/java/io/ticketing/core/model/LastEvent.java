package io.ticketing.core.model;

import java.time.Instant;

/**
 * The change that produced a statistics snapshot: its type, who did it ({@code buyer:7},
 * {@code seller:3} or {@code system}), how many seats it touched and when.
 */
public record LastEvent(ChangeType type, String actor, int seats, Instant at) {
    /** The actor string for changes the system makes on its own (expiry, sold-out). */
    public static final String SYSTEM = "system";
}
