package io.ticketing.core.testing;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.Seat;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReservationQuery;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.TicketStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards every call to another store and counts the calls, so that a test can tell how many store calls
 * an operation makes; a test overrides what should fail. Thread-safe if the store it forwards to is.
 */
public class ForwardingTicketStore implements TicketStore {
    private final TicketStore delegate;
    private final AtomicInteger calls = new AtomicInteger();

    public ForwardingTicketStore(TicketStore delegate) {
        this.delegate = delegate;
    }

    /**
     * How many calls reached this store since it was made or last {@linkplain #resetCalls() reset}, not
     * counting {@link #expireHolds}, which the hold-expiry sweeper calls on its own schedule.
     */
    public int calls() {
        return calls.get();
    }

    public void resetCalls() {
        calls.set(0);
    }

    private TicketStore call() {
        calls.incrementAndGet();
        return delegate;
    }

    @Override
    public Event createEvent(NewEvent event) {
        return call().createEvent(event);
    }

    @Override
    public void deleteEvent(long eventId) {
        call().deleteEvent(eventId);
    }

    @Override
    public Optional<Event> findEvent(long eventId) {
        return call().findEvent(eventId);
    }

    @Override
    public List<Event> listEvents(EventQuery query) {
        return call().listEvents(query);
    }

    @Override
    public Optional<EventStatistics> statistics(long eventId) {
        return call().statistics(eventId);
    }

    @Override
    public Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        return call().summaries(eventIds);
    }

    @Override
    public List<Seat> seats(long eventId, String section, int subsection) {
        return call().seats(eventId, section, subsection);
    }

    @Override
    public EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        return call().updateEvent(eventId, patch, actor, now);
    }

    @Override
    public ReservationChange reserve(ReserveCommand command) {
        return call().reserve(command);
    }

    @Override
    public boolean makesReservationIds() {
        return delegate.makesReservationIds();
    }

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        return call().findReservation(reservationId);
    }

    @Override
    public List<Reservation> listReservations(ReservationQuery query) {
        return call().listReservations(query);
    }

    @Override
    public ReservationChange confirm(String reservationId, String paymentReference, Instant now) {
        return call().confirm(reservationId, paymentReference, now);
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
        return call().cancel(reservationId, now);
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        return delegate.expireHolds(now, limit);
    }

    @Override
    public boolean isHealthy() {
        return delegate.isHealthy();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "Forwarding[" + delegate + "]";
    }
}
