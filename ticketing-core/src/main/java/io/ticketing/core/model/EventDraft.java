package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * What a seller submits to create an event. {@code status} is {@code draft} or {@code available}
 * (null means available); {@code description} and {@code venueName} are optional; null {@code rules} become
 * {@link EventRules#NONE}.
 */
public record EventDraft(@JsonProperty(required = true) String name, @Nullable String description,
                         @Nullable String venueName, @Nullable EventStatus status,
                         @JsonProperty(required = true) SeatingConfig seatingConfig, EventRules rules) {

    @JsonCreator
    public EventDraft {
        rules = rules == null ? EventRules.NONE : rules;
    }

    /** A draft without sales rules. */
    public EventDraft(String name, @Nullable String description, @Nullable String venueName,
                      @Nullable EventStatus status, SeatingConfig seatingConfig) {
        this(name, description, venueName, status, seatingConfig, null);
    }
}
