package io.ticketing.core.spi;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatMap;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The domain rules that every {@link TicketStore} applies the same way, for store authors: a store calls
 * them inside its atomic unit so that every store refuses the same things with the same codes. Pure
 * functions of their arguments except {@link #seatMapByRereading}, which reads the store it is given.
 */
public final class StoreRules {
    private static final int SEAT_MAP_ATTEMPTS = 20;

    private StoreRules() {
    }

    /**
     * The rule of {@link TicketStore#updateEvent}: {@code current} with the patch applied, or
     * {@code CONFLICT} if its status move is not allowed from {@code current}'s status.
     */
    public static Event applyPatch(Event current, EventPatch patch) {
        Event after = current;
        if (patch.status() != null) {
            if (!current.status().sellerMayMoveTo(patch.status())) {
                throw TicketingException.conflict("event " + current.id() + " cannot move from "
                        + current.status().wireName() + " to " + patch.status().wireName());
            }
            after = after.withStatus(patch.status());
        }
        if (patch.active() != null) {
            after = after.withActive(patch.active());
        }
        if (patch.rules() != null) {
            after = after.withRules(patch.rules());
        }
        return after;
    }

    /**
     * The rule of {@link TicketStore#confirm}: true if {@code r} is a hold that may be confirmed at
     * {@code now}, false if it is already confirmed (nothing to do); else {@code RESERVATION_EXPIRED} (expired,
     * or a hold whose {@code expiresAt} is not after {@code now}) or {@code CONFLICT} (cancelled).
     */
    public static boolean mustConfirm(Reservation r, Instant now) {
        switch (r.status()) {
            case CONFIRMED:
                return false;
            case CANCELLED:
                throw TicketingException.conflict("reservation " + r.id() + " was cancelled");
            case HELD:
                if (r.expiresAt().isAfter(now)) {
                    return true;
                }
                break;
            default:
                break;
        }
        throw new TicketingException(ErrorCode.RESERVATION_EXPIRED,
                "reservation " + r.id() + " expired at " + TicketingJson.format(r.expiresAt()));
    }

    /**
     * The refusal of {@link TicketStore#reserve} for a buyer who has {@code had} held + confirmed seats of the
     * event and asks for {@code more}, over the event's cap of {@code limit} per buyer.
     */
    public static TicketingException limitExceeded(long eventId, long buyerId, int had, int more, int limit) {
        return new TicketingException(ErrorCode.LIMIT_EXCEEDED, "buyer " + buyerId + " has " + had
                + " seats of event " + eventId + "; " + more + " more would exceed its limit of " + limit
                + " per buyer");
    }

    /**
     * {@link TicketStore#seatMap} for a store that cannot read seats and version in one step: reads the
     * version before and after {@link TicketStore#seats} and retries until they agree (every seat change
     * bumps the version in the same atomic unit, so equal versions prove the seats are of that version);
     * after {@value #SEAT_MAP_ATTEMPTS} tries under constant change it gives {@code UNAVAILABLE}.
     */
    public static Optional<SeatMap> seatMapByRereading(TicketStore store, long eventId, String section,
                                                       int subsection) {
        Optional<Event> event = store.findEvent(eventId);
        if (event.isEmpty()) {
            return Optional.empty();
        }
        int rows = event.get().seatingConfig().rows();
        int cols = event.get().seatingConfig().cols();
        for (int attempt = 0; attempt < SEAT_MAP_ATTEMPTS; attempt++) {
            Optional<EventStatistics> before = store.statistics(eventId);
            List<Seat> seats = store.seats(eventId, section, subsection);
            Optional<EventStatistics> after = store.statistics(eventId);
            if (before.isEmpty() || after.isEmpty() || seats.isEmpty()) {
                return Optional.empty();
            }
            if (before.get().version() == after.get().version()) {
                return Optional.of(SeatMap.of(eventId, after.get().version(), section, subsection, rows, cols, seats));
            }
        }
        throw new TicketingException(ErrorCode.UNAVAILABLE, "event " + eventId
                + " changed during every attempt to read a seat map of it; retry later");
    }
}
