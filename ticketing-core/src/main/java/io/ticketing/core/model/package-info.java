/**
 * Immutable records and enums of the domain: events, seating configs, seats, reservations, statistics
 * snapshots. Each validates what it can by itself in its constructor.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.core.model;

import org.jspecify.annotations.NullMarked;
