package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.testing.Drafts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory store forgets what ended after its retention, and refuses what exceeds its limits. */
class InMemoryRetentionTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration HOLD = Duration.ofMinutes(10);

    private final InMemoryTicketStore store = InMemoryTicketStore.builder()
            .endedReservationRetention(Duration.ofMinutes(5))
            .confirmedReservationRetention(Duration.ofHours(2))
            .idempotencyKeyRetention(Duration.ofHours(1))
            .maxReservations(1_024)
            .reuseGrace(Duration.ZERO)
            .build();
    private final Event event = store.createEvent(new NewEvent(Drafts.available("Big", 40, 50, "A"), 3, T0));

    private Reservation reserve(String idempotencyKey, Instant now) {
        return store.reserve(new ReserveCommand.BestAvailable(null, event.id(), 7, "A", 1, 1, idempotencyKey,
                now, now.plus(HOLD))).reservation();
    }

    /** One call looks at every row of these small tables. */
    private int forgetAll(Instant now) {
        return store.forgetEnded(now);
    }

    @Test
    void cancelledAndExpiredReservationsAreForgottenAfterTheirRetention() {
        Reservation cancelled = reserve(null, T0);
        Reservation expired = reserve(null, T0);
        Reservation held = reserve(null, T0.plus(HOLD));
        store.cancel(cancelled.id(), T0.plus(HOLD));
        assertEquals(1, store.expireHolds(T0.plus(HOLD), 10).size());

        assertEquals(0, forgetAll(T0.plus(HOLD).plus(Duration.ofMinutes(4))));
        assertEquals(ReservationStatus.CANCELLED, store.findReservation(cancelled.id()).orElseThrow().status());
        assertEquals(ReservationStatus.EXPIRED, store.findReservation(expired.id()).orElseThrow().status());

        assertEquals(2, forgetAll(T0.plus(HOLD).plus(Duration.ofMinutes(5))));
        assertTrue(store.findReservation(cancelled.id()).isEmpty());
        assertTrue(store.findReservation(expired.id()).isEmpty());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(TicketingException.class,
                () -> store.cancel(cancelled.id(), T0.plus(Duration.ofHours(1)))).code());
        assertEquals(ReservationStatus.HELD, store.findReservation(held.id()).orElseThrow().status());
    }

    @Test
    void aConfirmedReservationStaysReadableForItsLongerRetention() {
        Reservation paid = reserve(null, T0);
        store.confirm(paid.id(), "pay-1", T0.plusSeconds(30));
        forgetAll(T0.plus(Duration.ofHours(1)));
        assertEquals("pay-1", store.findReservation(paid.id()).orElseThrow().paymentReference());
        assertEquals(1, forgetAll(T0.plusSeconds(30).plus(Duration.ofHours(2))));
        assertTrue(store.findReservation(paid.id()).isEmpty());
        assertEquals(1, store.statistics(event.id()).orElseThrow().confirmedTickets(), "the seat stays sold");
    }

    @Test
    void anIdempotencyKeyIsForgottenAfterItsRetentionEvenIfItsReservationIsKept() {
        Reservation first = reserve("order-1", T0);
        store.confirm(first.id(), null, T0);
        assertEquals(first.id(), reserve("order-1", T0.plusSeconds(10)).id());
        forgetAll(T0.plus(Duration.ofHours(1)));
        assertTrue(store.findReservation(first.id()).isPresent());
        assertNotEquals(first.id(), reserve("order-1", T0.plus(Duration.ofHours(1))).id());
    }

    @Test
    void aKeyWhoseReservationWasForgottenStartsAfresh() {
        Reservation first = reserve("order-2", T0);
        store.cancel(first.id(), T0);
        forgetAll(T0.plus(Duration.ofMinutes(5)));
        Reservation second = reserve("order-2", T0.plus(Duration.ofMinutes(5)));
        assertNotEquals(first.id(), second.id());
        assertEquals(ReservationStatus.HELD, second.status());
    }

    @Test
    void reachingMaxReservationsIsUnavailableUntilEndedOnesAreForgotten() {
        List<Reservation> made = new ArrayList<>();
        TicketingException full = assertThrows(TicketingException.class, () -> {
            while (true) {
                made.add(reserve(null, T0));
            }
        });
        assertEquals(ErrorCode.UNAVAILABLE, full.code());
        assertTrue(full.getMessage().contains("maximum of 1024 reservations"), full.getMessage());
        assertEquals(1_024, made.size());
        assertEquals(1_024, store.seats(event.id(), "A", 1).stream().filter(s -> s.status() != SeatStatus.AVAILABLE)
                .count(), "the refusal changed nothing");

        for (Reservation r : made) {
            store.cancel(r.id(), T0);
        }
        assertEquals(1_024, forgetAll(T0.plus(Duration.ofMinutes(5))));
        for (int n = 0; n < 1_024; n++) {
            Reservation again = reserve(null, T0.plus(Duration.ofMinutes(5)));
            assertTrue(store.findReservation(again.id()).isPresent());
        }
        for (Reservation old : made) {
            assertTrue(store.findReservation(old.id()).isEmpty(), "a row taken again has a new id");
        }
        assertEquals(1_024, store.statistics(event.id()).orElseThrow().allocatedTickets());
    }

    @Test
    void reachingMaxEventsOrMaxSeatsIsUnavailable() {
        InMemoryTicketStore small = InMemoryTicketStore.builder().maxEvents(2).maxSeats(5_000).build();
        small.createEvent(new NewEvent(Drafts.available("One", 10, 10, "A"), 3, T0));
        TicketingException seats = assertThrows(TicketingException.class,
                () -> small.createEvent(new NewEvent(Drafts.available("Huge", 100, 100, "A"), 3, T0)));
        assertEquals(ErrorCode.UNAVAILABLE, seats.code());
        small.createEvent(new NewEvent(Drafts.available("Two", 10, 10, "A"), 3, T0));
        TicketingException events = assertThrows(TicketingException.class,
                () -> small.createEvent(new NewEvent(Drafts.available("Three", 1, 1, "A"), 3, T0)));
        assertEquals(ErrorCode.UNAVAILABLE, events.code());
        assertTrue(events.getMessage().contains("maximum of 2 events"), events.getMessage());
    }

    @Test
    void settingsOutOfRangeAreNamed() {
        assertThrows(IllegalArgumentException.class,
                () -> InMemoryTicketStore.builder().endedReservationRetention(Duration.ZERO).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InMemoryTicketStore.builder().maxReservations(10).build());
        assertTrue(e.getMessage().startsWith("maxReservations"), e.getMessage());
    }
}
