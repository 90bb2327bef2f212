package io.ticketing.core.memory;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.TicketStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default store: everything on the heap of this JVM, nothing to install, lost on restart. Each
 * event has one lock; an operation on one event never waits for another event. A seat costs one byte,
 * so a 1,000,000-seat event takes about 1 MB.
 */
public final class InMemoryTicketStore implements TicketStore {
    private final AtomicLong lastEventId = new AtomicLong();
    private final ConcurrentSkipListMap<Long, EventState> events = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    private final ReservationIndex reservations = new ReservationIndex();
    private final ConcurrentHashMap<IdempotencyKey, String> idempotencyKeys = new ConcurrentHashMap<>();
    /** Events that had holds since the last expiry sweep; the sweep drops those that have none left. */
    private final Set<EventState> eventsWithHolds = ConcurrentHashMap.newKeySet();

    private record IdempotencyKey(long buyerId, String key) {
    }

    /** A reservation in the status a change left it in, with the change's tally, to publish after the lock. */
    private record Changed(StoredReservation stored, ReservationStatus status, EventState.Tally tally) {
        ReservationChange publish() {
            return new ReservationChange(stored.view(status), stored.event.publish(tally));
        }
    }

    @Override
    public Event createEvent(NewEvent spec) {
        var d = spec.draft();
        Event event = new Event(lastEventId.incrementAndGet(), d.name(), d.description(), d.venueName(),
                spec.sellerId(), d.status(), true, d.seatingConfig(), spec.createdAt());
        events.put(event.id(), new EventState(event, spec.createdAt()));
        return event;
    }

    @Override
    public void deleteEvent(long eventId) {
        EventState removed = events.remove(eventId);
        if (removed != null) {
            synchronized (removed) {
                eventsWithHolds.remove(removed);
                removed.holds.clear();
            }
            reservations.removeIf(r -> r.event == removed);
            idempotencyKeys.values().removeIf(id -> reservations.get(id) == null);
        }
    }

    @Override
    public Optional<Event> findEvent(long eventId) {
        EventState state = events.get(eventId);
        return state == null ? Optional.empty() : Optional.of(state.event);
    }

    @Override
    public List<Event> listEvents(EventQuery query) {
        List<Event> page = new ArrayList<>(Math.min(query.limit(), 256));
        for (EventState state : events.tailMap(query.beforeId(), false).values()) {
            Event e = state.event;
            if ((query.sellerId() == null || e.sellerId() == query.sellerId())
                    && (!query.publicOnly() || e.isOnSale())) {
                page.add(e);
                if (page.size() == query.limit()) {
                    break;
                }
            }
        }
        return page;
    }

    @Override
    public Optional<EventStatistics> statistics(long eventId) {
        EventState state = events.get(eventId);
        return state == null ? Optional.empty() : Optional.of(state.statistics());
    }

    @Override
    public List<Seat> seats(long eventId, String section, int subsection) {
        EventState state = events.get(eventId);
        if (state == null) {
            return List.of();
        }
        synchronized (state) {
            return state.grid.seats(section, subsection);
        }
    }

    @Override
    public EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        EventState state = state(eventId);
        Event after;
        EventState.Tally tally = null;
        synchronized (state) {
            Event before = state.event;
            after = TicketStore.applyPatch(before, patch);
            state.event = after;
            if (after.status() != before.status()) {
                tally = state.count(new LastEvent(ChangeType.EVENT_STATUS_CHANGED, actor, 0, now));
            }
        }
        return new EventChange(after, tally == null ? null : state.publish(tally));
    }

    @Override
    public ReservationChange reserve(ReserveCommand command) {
        if (command.idempotencyKey() == null) {
            return hold(command);
        }
        IdempotencyKey key = new IdempotencyKey(command.buyerId(), command.idempotencyKey());
        String earlier = idempotencyKeys.get(key);
        if (earlier == null) {
            ReservationChange[] made = new ReservationChange[1];
            // The bin lock of this key makes two concurrent requests with the same key hold seats only once.
            earlier = idempotencyKeys.computeIfAbsent(key, k -> {
                made[0] = hold(command);
                return made[0].reservation().id();
            });
            if (made[0] != null) {
                return made[0];
            }
        }
        return new ReservationChange(reservations.get(earlier).view(), null);
    }

    private ReservationChange hold(ReserveCommand c) {
        EventState state = state(c.eventId());
        String actor = "buyer:" + c.buyerId();
        StoredReservation stored;
        Changed held;
        synchronized (state) {
            Event event = state.event;
            if (!event.isOnSale()) {
                throw TicketingException.conflict("event " + event.id() + " is not on sale (status "
                        + event.status().wireName() + (event.active() ? "" : ", inactive") + ")");
            }
            int[] indexes = c.isBestAvailable() ? bestAvailable(state, c) : explicitSeats(state, c);
            state.moveSeats(indexes, SeatStatus.RESERVED);
            stored = new StoredReservation(c.reservationId(), state, c.buyerId(), indexes, c.now(), c.expiresAt());
            state.holds.put(stored.id, stored);
            if (!state.listedWithHolds) {
                eventsWithHolds.add(state);
                state.listedWithHolds = true;
            }
            held = new Changed(stored, ReservationStatus.HELD,
                    state.count(new LastEvent(ChangeType.TICKET_RESERVED, actor, indexes.length, c.now())));
        }
        // Outside the lock: until reserve returns, only the sweeper (through holds) can reach this reservation.
        reservations.add(stored);
        return held.publish();
    }

    private static int[] bestAvailable(EventState state, ReserveCommand c) {
        int[] indexes = state.grid.bestAvailable(state.grid.block(c.section(), c.subsection()), c.quantity());
        if (indexes == null) {
            throw new TicketingException(ErrorCode.SEATS_UNAVAILABLE, "fewer than " + c.quantity()
                    + " seats are available in section " + c.section() + " subsection " + c.subsection());
        }
        return indexes;
    }

    private static int[] explicitSeats(EventState state, ReserveCommand c) {
        int[] indexes = new int[c.seats().size()];
        for (int k = 0; k < indexes.length; k++) {
            indexes[k] = state.grid.index(c.seats().get(k));
            if (state.grid.status(indexes[k]) != SeatStatus.AVAILABLE) {
                var s = c.seats().get(k);
                throw new TicketingException(ErrorCode.SEATS_UNAVAILABLE, "seat " + s.section() + "/" + s.subsection()
                        + " row " + s.row() + " seat " + s.seat() + " is not available");
            }
        }
        return indexes;
    }

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        StoredReservation stored = reservations.get(reservationId);
        return stored == null ? Optional.empty() : Optional.of(stored.view());
    }

    @Override
    public ReservationChange confirm(String reservationId, String paymentReference, Instant now) {
        StoredReservation stored = reservation(reservationId);
        EventState state = stored.event;
        String actor = "buyer:" + stored.buyerId;
        Changed confirmed;
        synchronized (state) {
            Reservation r = stored.view();
            if (!TicketStore.mustConfirm(r, now)) {
                return new ReservationChange(r, null);
            }
            state.moveSeats(stored.seatIndexes, SeatStatus.SOLD);
            stored.confirm(paymentReference);
            state.holds.remove(stored.id);
            confirmed = new Changed(stored, ReservationStatus.CONFIRMED,
                    state.count(new LastEvent(ChangeType.TICKET_CONFIRMED, actor, stored.seatIndexes.length, now)));
        }
        return confirmed.publish();
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
        StoredReservation stored = reservation(reservationId);
        EventState state = stored.event;
        String actor = "buyer:" + stored.buyerId;
        Changed cancelled;
        synchronized (state) {
            switch (stored.status()) {
                case CANCELLED:
                    throw TicketingException.conflict("reservation " + reservationId + " is already cancelled");
                case EXPIRED:
                    throw TicketingException.conflict("reservation " + reservationId
                            + " has expired; its seats are released");
                case CONFIRMED:
                    if (state.event.status().isOver()) {
                        throw TicketingException.conflict("event " + state.id() + " is "
                                + state.event.status().wireName() + "; refunds are closed");
                    }
                    break;
                default:
                    break;
            }
            cancelled = release(state, stored, ReservationStatus.CANCELLED, ChangeType.TICKET_RELEASED, actor, now);
        }
        return cancelled.publish();
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        List<Changed> expired = new ArrayList<>();
        for (EventState state : eventsWithHolds) {
            synchronized (state) {
                Iterator<StoredReservation> it = state.holds.values().iterator();
                while (it.hasNext() && expired.size() < limit) {
                    StoredReservation stored = it.next();
                    if (stored.expiresAt().isAfter(now)) {
                        break;
                    }
                    it.remove();
                    expired.add(release(state, stored, ReservationStatus.EXPIRED, ChangeType.TICKET_EXPIRED,
                            LastEvent.SYSTEM, now));
                }
                if (state.holds.isEmpty()) {
                    eventsWithHolds.remove(state);
                    state.listedWithHolds = false;
                }
            }
            if (expired.size() >= limit) {
                break;
            }
        }
        return expired.stream().map(Changed::publish).toList();
    }

    /** Called with the event's lock held. */
    private static Changed release(EventState state, StoredReservation stored, ReservationStatus newStatus,
                                   ChangeType type, String actor, Instant now) {
        state.moveSeats(stored.seatIndexes, SeatStatus.AVAILABLE);
        stored.end(newStatus);
        state.holds.remove(stored.id);
        return new Changed(stored, newStatus, state.count(new LastEvent(type, actor, stored.seatIndexes.length, now)));
    }

    private EventState state(long eventId) {
        EventState state = events.get(eventId);
        if (state == null) {
            throw TicketingException.notFound("event " + eventId + " does not exist");
        }
        return state;
    }

    private StoredReservation reservation(String reservationId) {
        StoredReservation stored = reservations.get(reservationId);
        if (stored == null) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
        return stored;
    }

    @Override
    public String toString() {
        return "InMemoryTicketStore[" + events.size() + " events, " + reservations.size() + " reservations]";
    }
}
