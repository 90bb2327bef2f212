package io.ticketing.core.memory;

import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.model.User;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything mutable about one event. Every field is guarded by {@code this}, except the current
 * snapshot ({@link #statistics()}), which only moves forward and needs no lock; {@link #event} is also
 * readable without the lock.
 *
 * <p>A change moves its seats, bumps the version, logs the change and copies the counters under the lock
 * ({@link #move}, {@link #moveOne}, or {@link #count} when no seat moved); the snapshot is
 * built from that copy after the lock is released ({@link #publish}), so the lock is held for O(1) work.
 */
final class EventState {
    final SeatGrid grid;
    /** Held reservations, oldest first. */
    final HoldQueue holds;
    /** Whether {@link InMemoryTicketStore}'s set of events to sweep for lapsed holds has this one. */
    boolean listedWithHolds;
    volatile Event event;
    private final AtomicReference<EventStatistics> statistics = new AtomicReference<>();
    private long version;
    /** Each buyer's held + confirmed seats of this event; buyers with none are absent. */
    private final BuyerSeatCounts buyerSeats = new BuyerSeatCounts();
    /** The event's change log. */
    final ChangeRing changes;
    private static final int[] NO_SEATS = new int[0];

    EventState(Event event, Instant createdAt, ReservationTable reservations, int changeLogSize) {
        this.event = event;
        this.changes = new ChangeRing(changeLogSize);
        this.holds = new HoldQueue(reservations);
        this.grid = new SeatGrid(event.seatingConfig());
        publish(count(new LastEvent(ChangeType.EVENT_CREATED, User.seller(event.sellerId()).actor(), 0, createdAt)));
    }

    long id() {
        return event.id();
    }

    /** The newest snapshot: its version never goes back. */
    EventStatistics statistics() {
        return statistics.get();
    }

    /**
     * The seat codes of each of {@code subsections} (null for one that does not exist) and the tally of the
     * current version, to build the statistics from after the lock is released; called with the lock held.
     */
    SeatCodes seatCodes(List<SubsectionRef> subsections) {
        String[] codes = new String[subsections.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = grid.seatCodes(subsections.get(i).section(), subsections.get(i).subsection());
        }
        return new SeatCodes(tally(changes.lastEvent()), codes);
    }

    /**
     * Moves seats to {@code to}, keeps {@code sold_out} in step with the remaining count and records the
     * change ({@link #count}); the change log keeps {@code indexes}, which must not change afterwards.
     */
    Tally move(int[] indexes, SeatStatus to, LastEvent lastEvent) {
        grid.set(indexes, to);
        followRemaining();
        changes.append(++version, lastEvent, indexes, to);
        return tally(lastEvent);
    }

    /** {@link #move} of one seat. */
    Tally moveOne(int index, SeatStatus to, LastEvent lastEvent) {
        grid.set(index, to);
        followRemaining();
        changes.appendOne(++version, lastEvent, index, to);
        return tally(lastEvent);
    }

    /** The buyer's held + confirmed seats of this event. */
    int buyerSeats(long buyerId) {
        return buyerSeats.get(buyerId);
    }

    /**
     * Adds {@code delta} (negative when seats are released) to the buyer's held + confirmed seats of this
     * event and returns the new count.
     */
    int countBuyerSeats(long buyerId, int delta) {
        return buyerSeats.add(buyerId, delta);
    }

    private void followRemaining() {
        EventStatus status = event.status();
        if (status == EventStatus.AVAILABLE && grid.remaining() == 0) {
            event = event.withStatus(EventStatus.SOLD_OUT);
        } else if (status == EventStatus.SOLD_OUT && grid.remaining() > 0) {
            event = event.withStatus(EventStatus.AVAILABLE);
        }
    }

    /** Records a change that moved no seat, as {@link #move} does. Called with the lock held. */
    Tally count(LastEvent lastEvent) {
        changes.append(++version, lastEvent, NO_SEATS, SeatStatus.AVAILABLE);
        return tally(lastEvent);
    }

    /** Copies the counters that describe the newest change, {@code lastEvent}. */
    private Tally tally(LastEvent lastEvent) {
        return new Tally(version, event.status(), grid.counts(), lastEvent);
    }

    /**
     * The snapshot of a tally, which becomes {@link #statistics()} unless a newer one already has. Needs no
     * lock: concurrent changes may get here out of version order.
     */
    EventStatistics publish(Tally tally) {
        EventStatistics snapshot = grid.snapshot(id(), tally.version, tally.status, tally.counts, tally.lastEvent,
                statistics.get());
        statistics.accumulateAndGet(snapshot, (current, next) ->
                current == null || next.version() > current.version() ? next : current);
        return snapshot;
    }

    /** What {@link #seatCodes} copied under the lock. */
    record SeatCodes(Tally tally, String[] codes) {
    }

    /** One change's version, status, counters (see {@link SeatGrid#counts}) and description. */
    record Tally(long version, EventStatus status, int[] counts, LastEvent lastEvent) {
    }
}
