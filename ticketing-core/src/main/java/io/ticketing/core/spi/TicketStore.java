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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The system of record: events, seats, reservations and the statistics counters derived from them.
 *
 * <p>Every mutating method is one atomic unit: seat states, reservation state, per-subsection counters,
 * the event's {@code version} and its {@code lastEvent} change together or not at all, and no reader ever
 * sees a state in between. Two callers — threads or nodes — can never both win the same seat. Statistics
 * are maintained incrementally as seats change; reading them never counts seats.
 *
 * <p>Inputs arrive validated by the services (seats exist in the config, counts within bounds); a store
 * enforces only the rules that depend on current state, and reports a refusal as a
 * {@link io.ticketing.core.TicketingException} with the codes named below, having changed nothing. A
 * backend that cannot be reached is reported as {@link io.ticketing.core.ErrorCode#UNAVAILABLE}.
 *
 * <p>Implementations are thread-safe. The abstract {@code TicketStoreContract} test class (in the
 * {@code ticketing-core} test-jar) states this contract as tests; every store must pass it.
 */
public interface TicketStore extends AutoCloseable {

    /**
     * Stores the event, creates every seat of its config as available and initialises its statistics
     * ({@code version} 1, {@code lastEvent} {@code event.created} by {@code seller:{id}}) in one atomic
     * unit, and returns it with its new id. Ids are positive and increase with every creation.
     */
    Event createEvent(NewEvent event);

    /**
     * Removes an event with all its seats, reservations and statistics. Used to undo a creation whose
     * later steps failed; does nothing for an unknown id.
     */
    void deleteEvent(long eventId);

    Optional<Event> findEvent(long eventId);

    /** Events matching the query, highest id first. */
    List<Event> listEvents(EventQuery query);

    /** The latest statistics snapshot of the event, with every subsection; O(subsections). */
    Optional<EventStatistics> statistics(long eventId);

    /**
     * The latest statistics of each of {@code eventIds} without {@code sections} (as
     * {@link EventStatistics#summary()}), by event id; unknown ids are left out. For a page of events: a
     * store answers it in one round trip, whatever the number of ids. The default asks
     * {@link #statistics(long)} once per id; stores override it.
     */
    default Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        Map<Long, EventStatistics> summaries = new HashMap<>();
        for (long id : eventIds) {
            statistics(id).ifPresent(s -> summaries.put(id, s.summary()));
        }
        return summaries;
    }

    /**
     * Every seat of one subsection ordered by row then seat. The section and subsection exist (the caller
     * checked the config); empty only if the event is unknown.
     */
    List<Seat> seats(long eventId, String section, int subsection);

    /**
     * The event's statistics and the seat maps of {@code subsections}, all at one {@code version}, read in
     * one step: no change of the event lies between any two of them. Costs O(subsections of the event + seats
     * of the named subsections), never a scan of the event's other seats. The subsections exist (the caller
     * checked the config); empty only if the event is unknown.
     *
     * <p>This default is {@link StoreRules#seatMapsByRereading}; stores that can read all at once override
     * it.
     */
    default Optional<SeatMaps> seatMaps(long eventId, List<SubsectionRef> subsections) {
        return StoreRules.seatMapsByRereading(this, eventId, subsections);
    }

    /**
     * Applies a seller's patch. A status move must be allowed by
     * {@link io.ticketing.core.model.EventStatus#sellerMayMoveTo} from the status current at that moment,
     * else {@code CONFLICT}; a change of status bumps {@code version} with {@code event.status_changed}.
     * New rules replace the event's rules without a version bump (null statistics unless the status
     * changed too); a reservation that starts after this returns obeys them. Setting a value to what it
     * already is changes nothing. Unknown event: {@code NOT_FOUND}.
     */
    EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now);

    /**
     * Holds the requested seats for the buyer, all or none: explicit seats must all be available, else
     * {@code SEATS_UNAVAILABLE}; best available picks {@code quantity} adjacent seats in one row of the
     * subsection when such a run exists, else any available seats of the subsection, else
     * {@code SEATS_UNAVAILABLE}; so is a seat or subsection the event does not have (the services
     * reject those earlier as invalid). The event must be {@code active} and {@code available}, else
     * {@code CONFLICT}. When the last seat goes, the status becomes {@code sold_out}.
     *
     * <p>Best available ranks runs as {@link BestAvailable} states, so that every store
     * picks the same seats from the same seat states.
     *
     * <p>Per-buyer cap: if the event's current {@link Event#rules()} have a {@code maxSeatsPerBuyer} and the
     * buyer's held + confirmed seats of this event plus the new ones would exceed it, refuses with
     * {@code LIMIT_EXCEEDED}. The store keeps each buyer's count as seats change (hold +n; cancel, refund
     * and expiry −n; confirm ±0) in the same atomic unit as the seats, across threads and nodes, so the
     * cap holds however many reservations race; it is checked against the cap current inside that unit.
     *
     * <p>With an idempotency key that this buyer used before, returns that earlier reservation unchanged
     * (with null statistics) and holds nothing.
     *
     * <p>The new reservation's id is {@code command.reservationId()}, unless the store
     * {@linkplain #makesReservationIds makes its own}; callers use the returned id.
     */
    ReservationChange reserve(ReserveCommand command);

    /**
     * Whether {@link #reserve} gives each reservation an id of its own making ({@code r-…}, unique in this
     * store), so that {@link ReserveCommand#reservationId} is not used and may be null. The in-memory store
     * does: its ids say where it keeps the reservation.
     */
    default boolean makesReservationIds() {
        return false;
    }

    Optional<Reservation> findReservation(String reservationId);

    /**
     * One buyer's reservations that match the query, in {@linkplain ReservationPosition list order}, at most
     * {@code query.limit()} of them: every status, as long as the store keeps the reservation (see
     * {@link #forgetEnded}). A reservation made, or changed, while a page is read appears on it in its state
     * before or after the change, never twice across pages. Costs O(the buyer's reservations that are
     * skipped or returned), never a scan of other buyers' reservations.
     */
    List<Reservation> listReservations(ReservationQuery query);

    /**
     * {@code held → confirmed}, seats become sold. Confirming a confirmed reservation returns it unchanged
     * (null statistics). A hold whose {@code expiresAt} is not after {@code now} is refused with
     * {@code RESERVATION_EXPIRED} and left held for {@link #expireHolds} to release (the service calls it
     * at once); so is an already expired one. A cancelled one: {@code CONFLICT}. Unknown: {@code NOT_FOUND}.
     */
    ReservationChange confirm(String reservationId, @Nullable String paymentReference, Instant now);

    /**
     * {@code held → cancelled} or, as a refund, {@code confirmed → cancelled} while the event is not
     * ended or completed (else {@code CONFLICT}); the seats become available and a {@code sold_out}
     * event becomes {@code available}. Cancelling an expired or cancelled reservation: {@code CONFLICT}.
     */
    ReservationChange cancel(String reservationId, Instant now);

    /**
     * Expires up to {@code limit} holds whose {@code expiresAt} is not after {@code now}, each releasing
     * its seats with {@code ticket.expired} by {@code system} and its own version bump, oldest first within
     * an event. Safe to call from several threads or nodes at once: each hold is expired exactly once.
     */
    List<ReservationChange> expireHolds(Instant now, int limit);

    /**
     * Forgets a bounded batch of what the store keeps only for a while (ended reservations, old idempotency
     * keys), if it keeps such things itself, and returns how many reservations it forgot. Called after each
     * expiry sweep on the sweeping thread, never on a request's path. Default: nothing.
     */
    default int forgetEnded(Instant now) {
        return 0;
    }

    /**
     * Up to {@code limit} entries of the event's change log with a version greater than {@code since}, oldest
     * first, read in one step. Every change of the event (creation, status change, reservation, confirmation,
     * release, expiry) is appended to its log in the same atomic unit as the change itself, so the log never
     * lacks a change a reader has seen and never has one that did not happen. A store keeps, per event, at
     * least the changes of its retention (by default the last 10,000 or those of the last 24 hours, whichever
     * are more) and forgets older ones in bounded batches off the requests' path.
     *
     * <p>{@code HISTORY_EXPIRED} if a change after {@code since} was forgotten already; empty for an unknown
     * event. A {@code since} at or past the current version gives an empty page.
     *
     * <p>Besides streams that resume, the HTTP layer's seat-map fan-out calls it with small pages (at most 256
     * changes) to catch a node's copy of some subsections up after a gap in versions, about once per update of
     * a busy event on each node (a few times a second), so a short page should cost a short read.
     */
    Optional<ChangePage> changes(long eventId, long since, int limit);

    /**
     * What names this store's data: it stays the same as long as the data does (across restarts of a
     * persistent store and across the nodes that share it) and changes when the data is reset or replaced,
     * so that a version of another epoch is never taken for one of this store. Short, of
     * {@code [A-Za-z0-9]}. Cheap: read once at start.
     */
    String epoch();

    /** Whether the backend answers now. Cheap enough for a health endpoint. */
    default boolean isHealthy() {
        return true;
    }

    /** Releases what the store owns. The host's {@code DataSource} is not closed. */
    @Override
    default void close() {
    }
}
