package io.ticketing.examples;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangePage;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link TicketStore} that times every call of the store it wraps into the timer
 * {@code ticketing.store.latency} (Prometheus: {@code ticketing_store_latency_seconds}), tagged with the
 * {@code operation} and its {@code outcome}: {@code ok}, {@code refused} (a rule said no, such as
 * {@code seats_unavailable}) or {@code error} (the backend failed). Behaves exactly like the wrapped store.
 */
final class TimedTicketStore implements TicketStore {
    static final String TIMER = "ticketing.store.latency";
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1)};

    private final TicketStore delegate;
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    TimedTicketStore(TicketStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public Event createEvent(NewEvent event) {
        return time("createEvent", () -> delegate.createEvent(event));
    }

    @Override
    public void deleteEvent(long eventId) {
        time("deleteEvent", () -> {
            delegate.deleteEvent(eventId);
            return null;
        });
    }

    @Override
    public Optional<Event> findEvent(long eventId) {
        return time("findEvent", () -> delegate.findEvent(eventId));
    }

    @Override
    public List<Event> listEvents(EventQuery query) {
        return time("listEvents", () -> delegate.listEvents(query));
    }

    @Override
    public Optional<EventStatistics> statistics(long eventId) {
        return time("statistics", () -> delegate.statistics(eventId));
    }

    @Override
    public Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        return time("summaries", () -> delegate.summaries(eventIds));
    }

    @Override
    public List<Seat> seats(long eventId, String section, int subsection) {
        return time("seats", () -> delegate.seats(eventId, section, subsection));
    }

    @Override
    public EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        return time("updateEvent", () -> delegate.updateEvent(eventId, patch, actor, now));
    }

    @Override
    public ReservationChange reserve(ReserveCommand command) {
        return time("reserve", () -> delegate.reserve(command));
    }

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        return time("findReservation", () -> delegate.findReservation(reservationId));
    }

    @Override
    public List<Reservation> listReservations(ReservationQuery query) {
        return time("listReservations", () -> delegate.listReservations(query));
    }

    @Override
    public ReservationChange confirm(String reservationId, String paymentReference, Instant now) {
        return time("confirm", () -> delegate.confirm(reservationId, paymentReference, now));
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
        return time("cancel", () -> delegate.cancel(reservationId, now));
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        return time("expireHolds", () -> delegate.expireHolds(now, limit));
    }

    @Override
    public Optional<ChangePage> changes(long eventId, long since, int limit) {
        return time("changes", () -> delegate.changes(eventId, since, limit));
    }

    @Override
    public String epoch() {
        return delegate.epoch();
    }

    @Override
    public int forgetEnded(Instant now) {
        return delegate.forgetEnded(now);
    }

    @Override
    public boolean makesReservationIds() {
        return delegate.makesReservationIds();
    }

    @Override
    public boolean isHealthy() {
        return delegate.isHealthy();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private <T> T time(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "ok";
            return result;
        } catch (TicketingException e) {
            outcome = e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.INTERNAL ? "error" : "refused";
            throw e;
        } finally {
            timer(operation, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String operation, String outcome) {
        return timers.computeIfAbsent(operation + '/' + outcome, key -> Timer.builder(TIMER)
                .description("Latency of ticket store calls")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry));
    }
}
