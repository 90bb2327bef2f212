package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a seller submits to create an event. {@code status} is {@code draft} or {@code available}
 * (null means available); {@code description} and {@code venueName} are optional.
 */
public record EventDraft(@JsonProperty(required = true) String name, String description, String venueName, EventStatus status,
                         @JsonProperty(required = true) SeatingConfig seatingConfig) {
}
