package io.ticketing.core;

import io.ticketing.core.internal.BoundedCache;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.metrics.ReservationOutcome;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationPage;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.ReservationResult;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReservationPosition;
import io.ticketing.core.spi.ReservationQuery;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.TicketStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Holding, confirming and cancelling seats. Only buyers reserve, and a reservation is visible only to its
 * buyer: to anyone else it does not exist ({@code not_found}).
 */
public final class ReservationService {
    private static final int MAX_PAYMENT_REFERENCE = 200;
    private static final int MAX_RESERVATION_ID = 100;
    /** How many reservations' buyers {@link #owned} keeps. */
    private static final int KEPT_BUYERS = 10_000;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final TicketStore store;
    private final EventService events;
    private final StatisticsPublisher publisher;
    private final Clock clock;
    private final Duration holdDuration;
    private final int expiryBatchSize;
    private final MetricsTracker metrics;
    /** The buyer of each reservation made or read here: it never changes, so ownership needs no read. */
    private final BoundedCache<String, User> buyers = new BoundedCache<>(KEPT_BUYERS);

    ReservationService(TicketStore store, EventService events, StatisticsPublisher publisher, Clock clock,
                       Duration holdDuration, int expiryBatchSize, MetricsTracker metrics) {
        this.store = store;
        this.events = events;
        this.publisher = publisher;
        this.clock = clock;
        this.holdDuration = holdDuration;
        this.expiryBatchSize = expiryBatchSize;
        this.metrics = metrics;
    }

    /**
     * One page of the buyer's own reservations, newest first, optionally of one event and/or in one status;
     * never another buyer's. {@code cursor} is null or a {@code nextCursor} of an earlier page with the same
     * filters.
     *
     * @throws TicketingException {@code unauthorized} without a user, {@code forbidden} for a seller,
     *                            {@code validation_failed} for a limit outside 1..200 or a cursor not made here
     */
    public ReservationPage listOwn(@Nullable User buyer, @Nullable Long eventId, @Nullable ReservationStatus status,
                                   int limit, @Nullable String cursor) {
        Access.require(buyer, Role.BUYER);
        EventDraftValidator.range("limit", limit, 1, EventService.MAX_PAGE_SIZE);
        ReservationPosition after = cursor == null ? null : ReservationCursor.decode(cursor);
        List<Reservation> rows = store.listReservations(new ReservationQuery(buyer.id(), eventId, status, after,
                limit + 1));
        if (rows.size() <= limit) {
            return new ReservationPage(rows, null);
        }
        List<Reservation> page = rows.subList(0, limit);
        return new ReservationPage(page, ReservationCursor.encode(ReservationPosition.of(page.get(limit - 1))));
    }

    /**
     * Holds seats for {@code buyer}, all or none, until the hold duration passes. With an
     * {@code idempotencyKey} (may be null) this buyer used before for the same request, returns the earlier
     * reservation with {@code created == false} and holds nothing more. The same request is one for the same
     * event and the same seats (in any order), or best available with the section, subsection and quantity
     * of the earlier seats.
     *
     * @throws TicketingException {@code seats_unavailable} if a seat is taken, {@code conflict} if the event
     *                            is not on sale or the key was used for another request, {@code limit_exceeded}
     *                            if the buyer would have more held + confirmed seats of the event than its
     *                            {@code maxSeatsPerBuyer},
     *                            {@code validation_failed} for seats the event does not have
     */
    public ReservationResult reserve(long eventId, ReservationRequest request, @Nullable String idempotencyKey,
                                     @Nullable User buyer) {
        Access.require(buyer, Role.BUYER);
        ReservationRequestValidator.validateIdempotencyKey(idempotencyKey);
        ReservationRequestValidator.validate(request, events.seatingConfig(eventId, buyer));
        Instant now = EventService.now(clock);
        String id = store.makesReservationIds() ? null : newId();
        ReserveCommand command = request instanceof ReservationRequest.BestAvailable best
                ? new ReserveCommand.BestAvailable(id, eventId, buyer.id(), best.section(), best.subsection(),
                best.quantity(), idempotencyKey, now, now.plus(holdDuration))
                : new ReserveCommand.Seats(id, eventId, buyer.id(), ((ReservationRequest.Seats) request).seats(),
                idempotencyKey, now, now.plus(holdDuration));
        ReservationChange change;
        try {
            change = store.reserve(command);
        } catch (RuntimeException e) {
            metrics.reservation(refusal(e));
            throw e;
        }
        long owner = change.reservation().buyerId(); // this buyer's, as a key names one buyer's request
        buyers.put(change.reservation().id(), owner == buyer.id() ? buyer : User.buyer(owner));
        if (!change.changed() && !isReplay(change.reservation(), eventId, request)) {
            metrics.reservation(ReservationOutcome.REFUSED);
            throw TicketingException.conflict("Idempotency-Key " + idempotencyKey + " was used for another request ("
                    + change.reservation().id() + "); use a new key for a new request");
        }
        if (change.changed()) {
            metrics.reservation(ReservationOutcome.HELD);
        }
        publisher.publish(change, buyer);
        return new ReservationResult(change.reservation(), change.changed());
    }

    /** The outcome of a reservation request that the store refused or failed. */
    private static ReservationOutcome refusal(RuntimeException e) {
        if (e instanceof TicketingException t) {
            return switch (t.code()) {
                case SEATS_UNAVAILABLE -> ReservationOutcome.SEATS_UNAVAILABLE;
                case UNAVAILABLE, INTERNAL -> ReservationOutcome.FAILED;
                default -> ReservationOutcome.REFUSED;
            };
        }
        return ReservationOutcome.FAILED;
    }

    /** Whether {@code request} for {@code eventId} asks for what the earlier reservation {@code r} holds. */
    private static boolean isReplay(Reservation r, long eventId, ReservationRequest request) {
        if (r.eventId() != eventId) {
            return false;
        }
        List<ReservedSeat> seats = r.seats();
        if (request instanceof ReservationRequest.Seats explicit) {
            // the request has no seat twice (validated), so equal sizes and containment mean the same set
            return seats.size() == explicit.seats().size()
                    && seats.stream().allMatch(seat -> explicit.seats().contains(seat.ref()));
        }
        ReservationRequest.BestAvailable best = (ReservationRequest.BestAvailable) request;
        return seats.size() == best.quantity() && seats.stream().allMatch(seat ->
                seat.section().equals(best.section()) && seat.subsection() == best.subsection());
    }

    /** The reservation, if {@code buyer} made it. */
    public Reservation get(String reservationId, @Nullable User buyer) {
        Access.require(buyer, Role.BUYER);
        return owned(reservationId, buyer);
    }

    /**
     * Payment confirmed: {@code held → confirmed}, seats sold. Repeating it returns the same reservation.
     *
     * @throws TicketingException {@code reservation_expired} once the hold has lapsed, {@code conflict} if
     *                            it was cancelled
     */
    public Reservation confirm(String reservationId, @Nullable String paymentReference, @Nullable User buyer) {
        Access.require(buyer, Role.BUYER);
        if (paymentReference != null) {
            TextRules.check("paymentReference", paymentReference, MAX_PAYMENT_REFERENCE, false);
        }
        requireOwned(reservationId, buyer);
        try {
            ReservationChange change = store.confirm(reservationId, paymentReference, EventService.now(clock));
            if (change.changed()) {
                metrics.reservation(ReservationOutcome.CONFIRMED);
            }
            publisher.publish(change, buyer);
            return change.reservation();
        } catch (TicketingException e) {
            if (e.code() == ErrorCode.RESERVATION_EXPIRED) {
                expireDueHolds(); // release the lapsed hold now rather than at the next sweep
            }
            throw e;
        }
    }

    /**
     * Cancels a hold, or refunds a confirmed reservation while the event is not over; the seats become
     * available again.
     */
    public Reservation cancel(String reservationId, @Nullable User buyer) {
        Access.require(buyer, Role.BUYER);
        requireOwned(reservationId, buyer);
        ReservationChange change = store.cancel(reservationId, EventService.now(clock));
        if (change.changed()) {
            metrics.reservation(ReservationOutcome.CANCELLED);
        }
        publisher.publish(change, buyer);
        return change.reservation();
    }

    /** Expires every lapsed hold, in batches, publishing each change; returns how many expired. */
    int expireDueHolds() {
        int total = 0;
        List<ReservationChange> batch;
        do {
            batch = store.expireHolds(EventService.now(clock), expiryBatchSize);
            for (ReservationChange change : batch) {
                metrics.reservation(ReservationOutcome.EXPIRED);
                publisher.publish(change, User.buyer(change.reservation().buyerId()));
            }
            total += batch.size();
        } while (batch.size() == expiryBatchSize);
        return total;
    }

    /** Lets the store forget what it keeps only for a while; see {@link TicketStore#forgetEnded}. */
    int forgetEnded() {
        return store.forgetEnded(EventService.now(clock));
    }

    private Reservation owned(String reservationId, User buyer) {
        Reservation r = isWellFormed(reservationId) ? store.findReservation(reservationId).orElse(null) : null;
        if (r == null || r.buyerId() != buyer.id()) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
        buyers.put(r.id(), buyer);
        return r;
    }

    /**
     * Checks that {@code buyer} made the reservation, else {@code not_found}; reads it only if its buyer is
     * not known here. A reservation that vanished after that is reported {@code not_found} by the store.
     */
    private void requireOwned(String reservationId, User buyer) {
        User owner = reservationId == null ? null : buyers.get(reservationId);
        if (owner == null) {
            owned(reservationId, buyer);
        } else if (owner.id() != buyer.id()) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
    }

    /**
     * Whether an id could be one a store made: a text by {@link TextRules} of at most
     * {@value #MAX_RESERVATION_ID} characters. Any other names no reservation, and no store is asked.
     */
    private static boolean isWellFormed(String reservationId) {
        return reservationId != null && TextRules.isValid(reservationId, MAX_RESERVATION_ID);
    }

    /** {@code r-} and 128 random bits as 32 hex digits, written into one buffer. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] id = new byte[34];
        id[0] = 'r';
        id[1] = '-';
        hex(random.nextLong(), id, 2);
        hex(random.nextLong(), id, 18);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    private static void hex(long bits, byte[] into, int at) {
        for (int i = 15; i >= 0; i--, bits >>>= 4) {
            into[at + i] = HEX_DIGITS[(int) bits & 0xf];
        }
    }
}
