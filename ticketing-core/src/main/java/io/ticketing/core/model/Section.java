package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A priced section of the venue, split into {@code subsections} identical blocks of
 * {@code rows × cols} seats. {@code price} is in minor units (cents).
 */
public record Section(@JsonProperty(required = true) String name, @JsonProperty(required = true) long price, @JsonProperty(required = true) int subsections) {
}
