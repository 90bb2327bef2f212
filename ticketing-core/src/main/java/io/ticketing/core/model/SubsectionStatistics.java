package io.ticketing.core.model;

/** Seat counts of one subsection; {@code remaining + allocated + confirmed == total}. */
public record SubsectionStatistics(String section, int subsection, long price, int total, int remaining,
                                   int allocated, int confirmed) {
}
