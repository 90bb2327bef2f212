package io.ticketing.core.memory;

import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatStatus;
import java.time.Instant;
import java.util.LinkedHashMap;

/**
 * Everything mutable about one event. Every field is guarded by {@code this}; {@link #event} and
 * {@link #statistics} are also readable without the lock.
 */
final class EventState {
    final SeatGrid grid;
    /** Held reservations in creation order, which is expiry order because every hold lasts as long. */
    final LinkedHashMap<String, StoredReservation> holds = new LinkedHashMap<>();
    volatile Event event;
    volatile EventStatistics statistics;
    private long version;

    EventState(Event event, Instant createdAt) {
        this.event = event;
        this.grid = new SeatGrid(event.seatingConfig());
        record(ChangeType.EVENT_CREATED, "seller:" + event.sellerId(), 0, createdAt);
    }

    long id() {
        return event.id();
    }

    /** Moves seats and keeps {@code sold_out} in step with the remaining count. */
    void moveSeats(int[] indexes, SeatStatus to) {
        for (int i : indexes) {
            grid.set(i, to);
        }
        EventStatus status = event.status();
        if (status == EventStatus.AVAILABLE && grid.remaining() == 0) {
            event = event.withStatus(EventStatus.SOLD_OUT);
        } else if (status == EventStatus.SOLD_OUT && grid.remaining() > 0) {
            event = event.withStatus(EventStatus.AVAILABLE);
        }
    }

    /** Bumps the version and takes the snapshot that describes this change. */
    EventStatistics record(ChangeType type, String actor, int seats, Instant at) {
        statistics = grid.snapshot(event.id(), ++version, event.status(), type, actor, seats, at);
        return statistics;
    }
}
