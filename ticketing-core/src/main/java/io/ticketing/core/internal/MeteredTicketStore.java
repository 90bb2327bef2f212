package io.ticketing.core.internal;

import io.ticketing.core.metrics.CallOutcome;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.metrics.StoreOperation;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.ForwardingTicketStore;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReservationQuery;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.TicketStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TicketStore} that reports the latency and outcome of every store operation of the store it
 * wraps to a {@link MetricsTracker}, and otherwise behaves exactly like it: as a
 * {@link ForwardingTicketStore} every method, defaults included, goes to the wrapped store, so that store's
 * own implementations are used. {@code Ticketing} puts it around the store when metrics are configured.
 */
public final class MeteredTicketStore extends ForwardingTicketStore {
    private final MetricsTracker metrics;

    public MeteredTicketStore(TicketStore delegate, MetricsTracker metrics) {
        super(delegate);
        this.metrics = metrics;
    }

    @Override
    public Event createEvent(NewEvent event) {
        return time(StoreOperation.CREATE_EVENT, () -> super.createEvent(event));
    }

    @Override
    public void deleteEvent(long eventId) {
        time(StoreOperation.DELETE_EVENT, () -> {
            super.deleteEvent(eventId);
            return null;
        });
    }

    @Override
    public Optional<Event> findEvent(long eventId) {
        return time(StoreOperation.FIND_EVENT, () -> super.findEvent(eventId));
    }

    @Override
    public List<Event> listEvents(EventQuery query) {
        return time(StoreOperation.LIST_EVENTS, () -> super.listEvents(query));
    }

    @Override
    public Optional<EventStatistics> statistics(long eventId) {
        return time(StoreOperation.STATISTICS, () -> super.statistics(eventId));
    }

    @Override
    public Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        return time(StoreOperation.SUMMARIES, () -> super.summaries(eventIds));
    }

    @Override
    public List<Seat> seats(long eventId, String section, int subsection) {
        return time(StoreOperation.SEATS, () -> super.seats(eventId, section, subsection));
    }

    @Override
    public Optional<SeatMaps> seatMaps(long eventId, List<SubsectionRef> subsections) {
        return time(StoreOperation.SEAT_MAPS, () -> super.seatMaps(eventId, subsections));
    }

    @Override
    public EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        return time(StoreOperation.UPDATE_EVENT, () -> super.updateEvent(eventId, patch, actor, now));
    }

    @Override
    public ReservationChange reserve(ReserveCommand command) {
        return time(StoreOperation.RESERVE, () -> super.reserve(command));
    }

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        return time(StoreOperation.FIND_RESERVATION, () -> super.findReservation(reservationId));
    }

    @Override
    public List<Reservation> listReservations(ReservationQuery query) {
        return time(StoreOperation.LIST_RESERVATIONS, () -> super.listReservations(query));
    }

    @Override
    public ReservationChange confirm(String reservationId, @Nullable String paymentReference, Instant now) {
        return time(StoreOperation.CONFIRM, () -> super.confirm(reservationId, paymentReference, now));
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
        return time(StoreOperation.CANCEL, () -> super.cancel(reservationId, now));
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        return time(StoreOperation.EXPIRE_HOLDS, () -> super.expireHolds(now, limit));
    }

    @Override
    public int forgetEnded(Instant now) {
        return time(StoreOperation.FORGET_ENDED, () -> super.forgetEnded(now));
    }

    @Override
    public Optional<ChangePage> changes(long eventId, long since, int limit) {
        return time(StoreOperation.CHANGES, () -> super.changes(eventId, since, limit));
    }

    @Override
    public String epoch() {
        return time(StoreOperation.EPOCH, super::epoch);
    }

    private <T extends @Nullable Object> T time(StoreOperation operation, Supplier<T> call) {
        long start = System.nanoTime();
        T result;
        try {
            result = call.get();
        } catch (RuntimeException | Error e) {
            metrics.storeCall(operation, CallOutcome.of(e), System.nanoTime() - start);
            throw e;
        }
        metrics.storeCall(operation, CallOutcome.OK, System.nanoTime() - start);
        return result;
    }
}
