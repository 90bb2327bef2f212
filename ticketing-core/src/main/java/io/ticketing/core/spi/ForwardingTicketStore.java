package io.ticketing.core.spi;

import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SubsectionRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TicketStore} that forwards every method, defaults included, to {@link #delegate()}: the base of a
 * decorator (timing, tracing, fault injection) that overrides only what it adds to. It keeps every guarantee
 * of the store it forwards to, as long as an override keeps the contract of the method it overrides.
 * Thread-safe if the delegate is.
 */
public class ForwardingTicketStore implements TicketStore {
    private final TicketStore delegate;

    /** A store that forwards to {@code delegate}. */
    public ForwardingTicketStore(TicketStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store every call is forwarded to; called once per forwarded call. */
    protected TicketStore delegate() {
        return delegate;
    }

    @Override
    public Event createEvent(NewEvent event) {
        return delegate().createEvent(event);
    }

    @Override
    public void deleteEvent(long eventId) {
        delegate().deleteEvent(eventId);
    }

    @Override
    public Optional<Event> findEvent(long eventId) {
        return delegate().findEvent(eventId);
    }

    @Override
    public List<Event> listEvents(EventQuery query) {
        return delegate().listEvents(query);
    }

    @Override
    public Optional<EventStatistics> statistics(long eventId) {
        return delegate().statistics(eventId);
    }

    @Override
    public Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        return delegate().summaries(eventIds);
    }

    @Override
    public List<Seat> seats(long eventId, String section, int subsection) {
        return delegate().seats(eventId, section, subsection);
    }

    @Override
    public Optional<SeatMaps> seatMaps(long eventId, List<SubsectionRef> subsections) {
        return delegate().seatMaps(eventId, subsections);
    }

    @Override
    public EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        return delegate().updateEvent(eventId, patch, actor, now);
    }

    @Override
    public ReservationChange reserve(ReserveCommand command) {
        return delegate().reserve(command);
    }

    @Override
    public boolean makesReservationIds() {
        return delegate().makesReservationIds();
    }

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        return delegate().findReservation(reservationId);
    }

    @Override
    public List<Reservation> listReservations(ReservationQuery query) {
        return delegate().listReservations(query);
    }

    @Override
    public ReservationChange confirm(String reservationId, @Nullable String paymentReference, Instant now) {
        return delegate().confirm(reservationId, paymentReference, now);
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
        return delegate().cancel(reservationId, now);
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        return delegate().expireHolds(now, limit);
    }

    @Override
    public int forgetEnded(Instant now) {
        return delegate().forgetEnded(now);
    }

    @Override
    public Optional<ChangePage> changes(long eventId, long since, int limit) {
        return delegate().changes(eventId, since, limit);
    }

    @Override
    public String epoch() {
        return delegate().epoch();
    }

    @Override
    public boolean isHealthy() {
        return delegate().isHealthy();
    }

    @Override
    public void close() {
        delegate().close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
