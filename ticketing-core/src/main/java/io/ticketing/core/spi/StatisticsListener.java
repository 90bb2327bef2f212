package io.ticketing.core.spi;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Receives statistics snapshots of one event. Calls for one subscription never overlap and arrive with
 * strictly increasing {@code version}: older or equal snapshots are dropped, and a burst may be
 * conflated to its newest snapshot. Called on a broadcaster thread: must not block.
 */
@FunctionalInterface
public interface StatisticsListener {
    void onStatistics(EventStatistics statistics);

    /**
     * A snapshot with the seats its change moved ({@code seatChanges}: exactly those of that version, empty
     * for a status change), or null when the broadcaster does not know them (a snapshot re-read after a
     * gap, a transport that does not carry them). The seat changes of versions conflated away are not
     * repeated: a listener that keeps seat states sees the gap in versions and re-reads. Same guarantees
     * as {@link #onStatistics}, which this default calls.
     */
    default void onUpdate(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
        onStatistics(statistics);
    }
}
