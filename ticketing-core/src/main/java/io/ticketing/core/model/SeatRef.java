package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The address of one seat: section name, subsection (1-based), row (1-based), seat in row (1-based). */
public record SeatRef(@JsonProperty(required = true) String section, @JsonProperty(required = true) int subsection,
                      @JsonProperty(required = true) int row, @JsonProperty(required = true) int seat) {
}
