package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReservationBodyTest {
    private static final List<SeatRef> ONE_SEAT = List.of(new SeatRef("A", 1, 1, 1));

    @Test
    void eachFormBecomesItsRequest() {
        assertEquals(ReservationRequest.seats(ONE_SEAT), new ReservationBody(ONE_SEAT, null, null, null).request());
        assertEquals(ReservationRequest.bestAvailable("A", 2, 3), new ReservationBody(null, "A", 2, 3).request());
    }

    @Test
    void bothFormsOrNeitherOrAPartOfOneAreRefusedNamingTheField() {
        assertRefused("seats", "give either seats, or section, subsection and quantity, not both",
                new ReservationBody(ONE_SEAT, "A", null, null));
        assertRefused("section", "give either seats, or section, subsection and quantity",
                new ReservationBody(null, null, null, null));
        assertRefused("section", "give either seats, or section, subsection and quantity",
                new ReservationBody(null, null, 1, 1));
        assertRefused("subsection", "subsection is required", new ReservationBody(null, "A", null, 1));
        assertRefused("quantity", "quantity is required", new ReservationBody(null, "A", 1, null));
    }

    private static void assertRefused(String field, String message, ReservationBody body) {
        TicketingException e = assertThrows(TicketingException.class, body::request);
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals(field, e.field());
        assertEquals(message, e.getMessage());
    }
}
