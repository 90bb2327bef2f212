package io.ticketing.core;

import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.util.List;

/** Checks a reservation request against the event's seating config. */
final class ReservationRequestValidator {
    static final int MAX_SEATS = 50;
    static final int MAX_IDEMPOTENCY_KEY = 100;

    private ReservationRequestValidator() {
    }

    static void validate(ReservationRequest request, SeatingConfig config) {
        if (request instanceof ReservationRequest.Seats seats) {
            validateSeats(seats.seats(), config);
        } else {
            validateBestAvailable((ReservationRequest.BestAvailable) request, config);
        }
    }

    private static void validateSeats(List<SeatRef> seats, SeatingConfig config) {
        int n = seats.size();
        if (n == 0 || n > MAX_SEATS) {
            throw TicketingException.validation("seats", "seats must list 1 to " + MAX_SEATS + " seats");
        }
        for (int i = 0; i < n; i++) {
            SeatRef seat = seats.get(i);
            if (seat == null || !config.contains(seat)) {
                throw TicketingException.validation("seats", seat == null ? "seats must not contain null"
                        : "the event has no seat " + seat.section() + "/" + seat.subsection() + " row " + seat.row()
                        + " seat " + seat.seat());
            }
            // At most 50 seats: comparing with the earlier ones costs less than hashing them into a set.
            if (seats.subList(0, i).contains(seat)) {
                throw TicketingException.validation("seats", "seat " + seat.section() + "/" + seat.subsection()
                        + " row " + seat.row() + " seat " + seat.seat() + " is listed twice");
            }
        }
    }

    private static void validateBestAvailable(ReservationRequest.BestAvailable request, SeatingConfig config) {
        Section section = config.section(request.section());
        if (section == null) {
            throw TicketingException.validation("section", "the event has no section " + request.section());
        }
        if (request.subsection() < 1 || request.subsection() > section.subsections()) {
            throw TicketingException.validation("subsection", "section " + section.name() + " has subsections 1 to "
                    + section.subsections());
        }
        EventDraftValidator.range("quantity", request.quantity(), 1, MAX_SEATS);
    }

    /** A key (null for none) is 1 to 100 characters by {@link TextRules}, not blank. */
    static void validateIdempotencyKey(String key) {
        if (key == null) {
            return;
        }
        if (key.isBlank()) {
            throw TicketingException.validation("Idempotency-Key",
                    "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        TextRules.check("Idempotency-Key", key, MAX_IDEMPOTENCY_KEY, false);
    }
}
