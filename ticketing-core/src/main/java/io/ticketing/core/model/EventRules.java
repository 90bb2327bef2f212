package io.ticketing.core.model;

import org.jspecify.annotations.Nullable;

/**
 * An event's sales rules. {@code maxSeatsPerBuyer} caps the seats one buyer may have held and confirmed in
 * the event at once (1..1000), or is null for no cap. Validated by the event service.
 */
public record EventRules(@Nullable Integer maxSeatsPerBuyer) {
    /** No rule set. */
    public static final EventRules NONE = new EventRules(null);

    /** Whether a buyer who has {@code current} seats of the event may get {@code more}. */
    public boolean allows(int current, int more) {
        return maxSeatsPerBuyer == null || current + more <= maxSeatsPerBuyer;
    }
}
