package io.ticketing.core.spi;

import io.ticketing.core.model.EventStatistics;
import java.util.Optional;

/** Reads an event's current statistics from the system of record; given to a broadcaster to heal gaps. */
@FunctionalInterface
public interface StatisticsLookup {
    Optional<EventStatistics> current(long eventId);
}
