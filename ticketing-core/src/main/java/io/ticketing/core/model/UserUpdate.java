package io.ticketing.core.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something that concerns one user only, carried to that user's streams on every node: a buyer's
 * reservation that was made or changed status, or an event a seller created.
 *
 * @param user        whom it concerns
 * @param reservation the buyer's reservation as it is now, or null
 * @param eventId     the seller's new event, or 0
 */
public record UserUpdate(User user, @Nullable Reservation reservation, long eventId) {
    public UserUpdate {
        Objects.requireNonNull(user, "user");
        if ((reservation == null) == (eventId == 0)) {
            throw new IllegalArgumentException("a user update carries a reservation or an event, not both");
        }
    }

    /** A reservation made or changed, for its buyer. */
    public static UserUpdate reservation(Reservation reservation) {
        return new UserUpdate(User.buyer(reservation.buyerId()), reservation, 0);
    }

    /** An event created, for its seller. */
    public static UserUpdate eventCreated(long sellerId, long eventId) {
        return new UserUpdate(User.seller(sellerId), null, eventId);
    }
}
