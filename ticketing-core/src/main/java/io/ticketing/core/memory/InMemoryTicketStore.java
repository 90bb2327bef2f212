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
import io.ticketing.core.model.SeatRef;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final ReservationTable reservations = new ReservationTable();
    private final ConcurrentHashMap<IdempotencyKey, String> idempotencyKeys = new ConcurrentHashMap<>();
    /** Events that had holds since the last expiry sweep; the sweep drops those that have none left. */
    private final Set<EventState> eventsWithHolds = ConcurrentHashMap.newKeySet();

    private record IdempotencyKey(long buyerId, String key) {
    }

    /**
     * A reservation (its row, and its id if known) in the status a change left it in, with the change's tally,
     * to publish after the lock.
     */
    private record Changed(int row, String id, EventState state, ReservationStatus status, EventState.Tally tally) {
    }

    private ReservationChange publish(Changed c) {
        String id = c.id != null ? c.id : reservations.id(c.row);
        return new ReservationChange(reservations.view(c.row, id, c.status), c.state.publish(c.tally));
    }

    @Override
    public Event createEvent(NewEvent spec) {
        var d = spec.draft();
        Event event = new Event(lastEventId.incrementAndGet(), d.name(), d.description(), d.venueName(),
                spec.sellerId(), d.status(), true, d.seatingConfig(), spec.createdAt());
        events.put(event.id(), new EventState(event, spec.createdAt(), reservations));
        return event;
    }

    @Override
    public void deleteEvent(long eventId) {
        EventState removed = events.remove(eventId);
        if (removed != null) {
            synchronized (removed) {
                eventsWithHolds.remove(removed);
            }
            reservations.removeAll(removed);
            idempotencyKeys.values().removeIf(id -> reservations.find(id) < 0);
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
    public Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        Map<Long, EventStatistics> summaries = new HashMap<>();
        for (long id : eventIds) {
            EventState state = events.get(id);
            if (state != null) {
                summaries.put(id, state.statistics().summary());
            }
        }
        return summaries;
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
        return new ReservationChange(reservations.view(reservations.find(earlier)), null);
    }

    /** Holds the seats in a new row of the table, which makes the reservation's id. */
    private ReservationChange hold(ReserveCommand c) {
        EventState state = state(c.eventId());
        String actor = "buyer:" + c.buyerId();
        Changed held;
        synchronized (state) {
            Event event = state.event;
            if (!event.isOnSale()) {
                throw TicketingException.conflict("event " + event.id() + " is not on sale (status "
                        + event.status().wireName() + (event.active() ? "" : ", inactive") + ")");
            }
            int[] indexes = c.isBestAvailable() ? bestAvailable(state, c) : explicitSeats(state, c);
            state.moveSeats(indexes, SeatStatus.RESERVED);
            int row = reservations.add(state, c.buyerId(), indexes, c.now(), c.expiresAt());
            state.holds.add(row);
            if (!state.listedWithHolds) {
                eventsWithHolds.add(state);
                state.listedWithHolds = true;
            }
            held = new Changed(row, null, state, ReservationStatus.HELD,
                    state.count(new LastEvent(ChangeType.TICKET_RESERVED, actor, indexes.length, c.now())));
        }
        return publish(held);
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
            SeatRef s = c.seats().get(k);
            indexes[k] = state.grid.index(s);
            if (indexes[k] < 0 || state.grid.status(indexes[k]) != SeatStatus.AVAILABLE) {
                throw new TicketingException(ErrorCode.SEATS_UNAVAILABLE, "seat " + s.section() + "/" + s.subsection()
                        + " row " + s.row() + " seat " + s.seat()
                        + (indexes[k] < 0 ? " does not exist" : " is not available"));
            }
        }
        return indexes;
    }

    /** True: a reservation's id names its row in the table ({@link ReservationTable}). */
    @Override
    public boolean makesReservationIds() {
        return true;
    }

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        int row = reservations.find(reservationId);
        return row < 0 ? Optional.empty() : Optional.of(reservations.view(row, reservationId, reservations.status(row)));
    }

    @Override
    public ReservationChange confirm(String reservationId, String paymentReference, Instant now) {
        int row = reservation(reservationId);
        EventState state = eventOf(row, reservationId);
        String actor = "buyer:" + reservations.buyerId(row);
        Changed confirmed;
        synchronized (state) {
            Reservation r = reservations.view(row, reservationId, reservations.status(row));
            if (!TicketStore.mustConfirm(r, now)) {
                return new ReservationChange(r, null);
            }
            reservations.moveSeats(row, state, SeatStatus.SOLD);
            reservations.confirm(row, paymentReference);
            state.holds.ended();
            confirmed = new Changed(row, reservationId, state, ReservationStatus.CONFIRMED,
                    state.count(new LastEvent(ChangeType.TICKET_CONFIRMED, actor, reservations.seatCount(row), now)));
        }
        return publish(confirmed);
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
        int row = reservation(reservationId);
        EventState state = eventOf(row, reservationId);
        String actor = "buyer:" + reservations.buyerId(row);
        Changed cancelled;
        synchronized (state) {
            switch (reservations.status(row)) {
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
            cancelled = release(state, row, reservationId, ReservationStatus.CANCELLED, ChangeType.TICKET_RELEASED,
                    actor, now);
        }
        return publish(cancelled);
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        List<Changed> expired = new ArrayList<>();
        for (EventState state : eventsWithHolds) {
            synchronized (state) {
                while (expired.size() < limit) {
                    int row = state.holds.oldest();
                    if (row < 0 || reservations.expiresAt(row).isAfter(now)) {
                        break;
                    }
                    expired.add(release(state, row, null, ReservationStatus.EXPIRED, ChangeType.TICKET_EXPIRED,
                            LastEvent.SYSTEM, now));
                }
                if (state.holds.held() == 0) {
                    eventsWithHolds.remove(state);
                    state.listedWithHolds = false;
                }
            }
            if (expired.size() >= limit) {
                break;
            }
        }
        return expired.stream().map(this::publish).toList();
    }

    /** Ends a held or confirmed reservation; {@code id} may be null. Called with the event's lock held. */
    private Changed release(EventState state, int row, String id, ReservationStatus newStatus, ChangeType type,
                            String actor, Instant now) {
        reservations.moveSeats(row, state, SeatStatus.AVAILABLE);
        if (reservations.status(row) == ReservationStatus.HELD) {
            state.holds.ended();
        }
        reservations.setStatus(row, newStatus);
        return new Changed(row, id, state, newStatus,
                state.count(new LastEvent(type, actor, reservations.seatCount(row), now)));
    }

    private EventState state(long eventId) {
        EventState state = events.get(eventId);
        if (state == null) {
            throw TicketingException.notFound("event " + eventId + " does not exist");
        }
        return state;
    }

    /** The row of the reservation, else {@code NOT_FOUND}. */
    private int reservation(String reservationId) {
        int row = reservations.find(reservationId);
        if (row < 0) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
        return row;
    }

    /** The event of a found reservation, else {@code NOT_FOUND}: its event was deleted since. */
    private EventState eventOf(int row, String reservationId) {
        EventState state = reservations.event(row);
        if (state == null) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
        return state;
    }

    @Override
    public String toString() {
        return "InMemoryTicketStore[" + events.size() + " events, " + "at most " + reservations.size() + " reservations]";
    }
}
