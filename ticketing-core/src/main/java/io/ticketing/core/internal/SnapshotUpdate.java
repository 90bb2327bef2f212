package io.ticketing.core.internal;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import java.util.List;

/**
 * A statistics snapshot as the broadcasters carry it: with the seats its change moved (empty for a status
 * change), or null seat changes when they are not known (a snapshot re-read from the store).
 */
public record SnapshotUpdate(EventStatistics statistics, List<SeatChange> seatChanges) {
    public SnapshotUpdate {
        seatChanges = seatChanges == null ? null : SeatChange.copyOf(seatChanges);
    }

    public long eventId() {
        return statistics.eventId();
    }

    public long version() {
        return statistics.version();
    }
}
