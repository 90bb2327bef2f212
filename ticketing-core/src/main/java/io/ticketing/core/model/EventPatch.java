package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.jspecify.annotations.Nullable;

/**
 * A seller's change to an event: a new status, a new {@code active} flag and/or new sales rules, which
 * replace the current ones ({@code new EventRules(null)} removes the cap). Null means unchanged.
 */
public record EventPatch(@Nullable EventStatus status, @Nullable Boolean active, @Nullable EventRules rules) {

    @JsonCreator
    public EventPatch {
    }

    /** A change of status and/or {@code active} only. */
    public EventPatch(EventStatus status, Boolean active) {
        this(status, active, null);
    }
}
