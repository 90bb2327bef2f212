package io.ticketing.core.model;

/** One subsection of an event's seating: its section's name and its 1-based number in that section. */
public record SubsectionRef(String section, int subsection) {
}
