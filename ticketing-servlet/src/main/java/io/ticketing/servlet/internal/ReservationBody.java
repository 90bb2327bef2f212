package io.ticketing.servlet.internal;

import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON body of {@code POST /events/{id}/reservations} as sent: {@code seats}, or {@code section},
 * {@code subsection} and {@code quantity}. {@link #request()} makes it the one {@link ReservationRequest} it
 * stands for, or refuses a body that has both forms or neither, naming the field.
 */
record ReservationBody(@Nullable List<SeatRef> seats, @Nullable String section, @Nullable Integer subsection,
                       @Nullable Integer quantity) {
    private static final String EITHER = "give either seats, or section, subsection and quantity";

    ReservationRequest request() {
        boolean best = section != null || subsection != null || quantity != null;
        if (seats != null) {
            if (best) {
                throw TicketingException.validation("seats", EITHER + ", not both");
            }
            return ReservationRequest.seats(seats);
        }
        if (section == null) {
            throw TicketingException.validation("section", EITHER);
        }
        if (subsection == null) {
            throw TicketingException.validation("subsection", "subsection is required");
        }
        if (quantity == null) {
            throw TicketingException.validation("quantity", "quantity is required");
        }
        return ReservationRequest.bestAvailable(section, subsection, quantity);
    }
}
