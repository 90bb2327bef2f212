package io.ticketing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.ReservationResult;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.Drafts;
import io.ticketing.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReservationServiceTest {
    private static final User SELLER = User.seller(3);
    private static final User BUYER = User.buyer(7);
    private static final User OTHER_BUYER = User.buyer(8);

    private final MutableClock clock = MutableClock.startingAt("2026-11-22T14:00:00Z");
    private final Ticketing ticketing = Ticketing.builder()
            .clock(clock)
            .holdDuration(Duration.ofMinutes(10))
            .expirySweepInterval(Duration.ofMillis(20))
            .build();
    private final ReservationService reservations = ticketing.reservations();
    private final Event gala = ticketing.events().create(SELLER, Drafts.gala());

    @AfterEach
    void close() {
        ticketing.close();
    }

    private static TicketingException refused(Runnable action) {
        return assertThrows(TicketingException.class, action::run);
    }

    private Reservation hold(User buyer, SeatRef... seats) {
        return reservations.reserve(gala.id(), ReservationRequest.seats(seats), null, buyer).reservation();
    }

    private EventStatistics stats() {
        return ticketing.statistics().current(gala.id(), null);
    }

    @Test
    void aHoldLastsTheConfiguredDuration() {
        Reservation r = hold(BUYER, new SeatRef("A", 1, 1, 1));
        assertEquals(Instant.parse("2026-11-22T14:10:00Z"), r.expiresAt());
        assertTrue(r.id().matches("r-[0-9a-f]{32}"), r.id());
        assertEquals(r, reservations.get(r.id(), BUYER));
    }

    @Test
    void onlyBuyersReserve() {
        ReservationRequest req = ReservationRequest.bestAvailable("A", 1, 1);
        assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> reservations.reserve(gala.id(), req, null, null)).code());
        assertEquals(ErrorCode.FORBIDDEN, refused(() -> reservations.reserve(gala.id(), req, null, SELLER)).code());
    }

    @Test
    void aDraftIsNotFoundForBuyers() {
        Event draft = ticketing.events().create(SELLER, Drafts.draftStatus(Drafts.gala()));
        assertEquals(ErrorCode.NOT_FOUND, refused(() ->
                reservations.reserve(draft.id(), ReservationRequest.bestAvailable("A", 1, 1), null, BUYER)).code());
    }

    static List<Arguments> invalidRequests() {
        List<SeatRef> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add(new SeatRef("A", 1, 1, 1));
        }
        return List.of(
                Arguments.of(ReservationRequest.seats(List.of()), "seats"),
                Arguments.of(ReservationRequest.seats(fiftyOne), "seats"),
                Arguments.of(ReservationRequest.seats(Collections.singletonList(null)), "seats"),
                Arguments.of(ReservationRequest.seats(new SeatRef("Z", 1, 1, 1)), "seats"),
                Arguments.of(ReservationRequest.seats(new SeatRef("A", 3, 1, 1)), "seats"),
                Arguments.of(ReservationRequest.seats(new SeatRef("A", 1, 4, 1)), "seats"),
                Arguments.of(ReservationRequest.seats(new SeatRef("A", 1, 1, 5)), "seats"),
                Arguments.of(ReservationRequest.seats(new SeatRef("A", 1, 0, 1)), "seats"),
                Arguments.of(ReservationRequest.seats(new SeatRef("A", 1, 1, 1), new SeatRef("A", 1, 1, 1)), "seats"),
                Arguments.of(ReservationRequest.bestAvailable("Z", 1, 1), "section"),
                Arguments.of(ReservationRequest.bestAvailable("B", 2, 1), "subsection"),
                Arguments.of(ReservationRequest.bestAvailable("A", 1, 0), "quantity"),
                Arguments.of(ReservationRequest.bestAvailable("A", 1, 51), "quantity"));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void invalidRequestsAreRefusedWithTheirFieldAndHoldNothing(ReservationRequest request, String field) {
        TicketingException e = refused(() -> reservations.reserve(gala.id(), request, null, BUYER));
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(1, stats().version());
    }

    @Test
    void idempotencyKeysAreBoundedAndReplayTheOriginal() {
        ReservationRequest req = ReservationRequest.bestAvailable("A", 1, 2);
        assertEquals("Idempotency-Key", refused(() -> reservations.reserve(gala.id(), req, "k".repeat(101), BUYER)).field());
        ReservationResult first = reservations.reserve(gala.id(), req, "k-1", BUYER);
        ReservationResult again = reservations.reserve(gala.id(), req, "k-1", BUYER);
        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.reservation(), again.reservation());
        assertEquals(2, stats().allocatedTickets());
    }

    @Test
    void anIdempotencyKeyUsedForAnotherRequestIsAConflictAndHoldsNothing() {
        Event other = ticketing.events().create(SELLER, Drafts.gala());
        ReservationRequest pair = ReservationRequest.bestAvailable("A", 1, 2);
        Reservation first = reservations.reserve(gala.id(), pair, "k-1", BUYER).reservation();
        List<SeatRef> held = first.seats().stream().map(seat -> seat.ref()).toList();
        for (ReservationRequest different : List.of(ReservationRequest.bestAvailable("A", 1, 3),
                ReservationRequest.bestAvailable("A", 2, 2), ReservationRequest.bestAvailable("B", 1, 2),
                ReservationRequest.seats(held.get(0)), ReservationRequest.seats(held.get(0), new SeatRef("B", 1, 3, 4)))) {
            TicketingException e = refused(() -> reservations.reserve(gala.id(), different, "k-1", BUYER));
            assertEquals(ErrorCode.CONFLICT, e.code());
            assertTrue(e.getMessage().contains("Idempotency-Key"), e.getMessage());
        }
        assertEquals(ErrorCode.CONFLICT, refused(() -> reservations.reserve(other.id(), pair, "k-1", BUYER)).code());
        assertEquals(2, stats().allocatedTickets());
        assertEquals(0, ticketing.statistics().current(other.id(), null).allocatedTickets());
        // the same seats in another order are the same request; another buyer's key is another key
        Reservation explicit = reservations.reserve(gala.id(), ReservationRequest.seats(new SeatRef("B", 1, 1, 1),
                new SeatRef("B", 1, 1, 2)), "k-2", BUYER).reservation();
        ReservationResult reordered = reservations.reserve(gala.id(), ReservationRequest.seats(new SeatRef("B", 1, 1, 2),
                new SeatRef("B", 1, 1, 1)), "k-2", BUYER);
        assertFalse(reordered.created());
        assertEquals(explicit, reordered.reservation());
        assertTrue(reservations.reserve(gala.id(), pair, "k-1", OTHER_BUYER).created());
        assertEquals(6, stats().allocatedTickets());
    }

    @Test
    void textsWithControlCharactersOrLoneSurrogatesAreRefused() {
        ReservationRequest req = ReservationRequest.bestAvailable("A", 1, 2);
        for (String key : new String[] {"k\u0000", "k\n", "k\ud800", "\udc00k"}) {
            TicketingException e = refused(() -> reservations.reserve(gala.id(), req, key, BUYER));
            assertEquals("Idempotency-Key", e.field(), e.getMessage());
        }
        Reservation r = hold(BUYER, new SeatRef("A", 1, 1, 1));
        for (String reference : new String[] {"pay\u0000", "pay\tment", "pay\ud83c"}) {
            TicketingException e = refused(() -> reservations.confirm(r.id(), reference, BUYER));
            assertEquals("paymentReference", e.field(), e.getMessage());
        }
        for (String id : new String[] {r.id() + "\u0000", "r-\ud800", "r-" + "0".repeat(200)}) {
            assertEquals(ErrorCode.NOT_FOUND, refused(() -> reservations.get(id, BUYER)).code());
            assertEquals(ErrorCode.NOT_FOUND, refused(() -> reservations.cancel(id, BUYER)).code());
        }
        assertEquals(1, stats().allocatedTickets());
        assertEquals("pay \ud83d\udcb3", reservations.confirm(r.id(), "pay \ud83d\udcb3", BUYER).paymentReference());
    }

    @Test
    void aReservationIsInvisibleToOtherBuyers() {
        Reservation r = hold(BUYER, new SeatRef("A", 1, 1, 1));
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> reservations.get(r.id(), OTHER_BUYER)).code());
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> reservations.confirm(r.id(), null, OTHER_BUYER)).code());
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> reservations.cancel(r.id(), OTHER_BUYER)).code());
        assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> reservations.get(r.id(), null)).code());
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> reservations.get("r-nope", BUYER)).code());
        assertEquals(ReservationStatus.HELD, reservations.get(r.id(), BUYER).status());
    }

    @Test
    void confirmingThenRefundingReturnsTheSeats() {
        Reservation r = hold(BUYER, new SeatRef("A", 1, 1, 1), new SeatRef("A", 1, 1, 2));
        Reservation confirmed = reservations.confirm(r.id(), "pay-9", BUYER);
        assertEquals(ReservationStatus.CONFIRMED, confirmed.status());
        assertEquals(confirmed, reservations.confirm(r.id(), "pay-9", BUYER));
        assertEquals(2, stats().confirmedTickets());
        assertEquals(ReservationStatus.CANCELLED, reservations.cancel(r.id(), BUYER).status());
        assertEquals(36, stats().remainingTickets());
        assertEquals(ErrorCode.CONFLICT, refused(() -> reservations.cancel(r.id(), BUYER)).code());
    }

    @Test
    void aPaymentReferenceIsBounded() {
        Reservation r = hold(BUYER, new SeatRef("A", 1, 1, 1));
        assertEquals("paymentReference", refused(() -> reservations.confirm(r.id(), "p".repeat(201), BUYER)).field());
    }

    @Test
    void aHoldExpiresOnItsOwnAndPublishesTicketExpired() throws InterruptedException {
        LinkedBlockingQueue<EventStatistics> seen = new LinkedBlockingQueue<>();
        try (Subscription ignored = ticketing.statistics().subscribe(gala.id(), seen::add)) {
            Reservation r = hold(BUYER, new SeatRef("B", 1, 1, 1), new SeatRef("B", 1, 1, 2));
            clock.advance(Duration.ofMinutes(10));
            Await.until(() -> reservations.get(r.id(), BUYER).status() == ReservationStatus.EXPIRED, "the hold to expire");
            // The sweeper's thread publishes the snapshot just after releasing the event's lock, so this
            // thread may see the expired hold a moment before the statistics that count it.
            Await.until(() -> stats().lastEvent().type() == ChangeType.TICKET_EXPIRED, "the expiry's statistics");
            EventStatistics s = stats();
            assertEquals(36, s.remainingTickets());
            assertEquals(new LastEvent(ChangeType.TICKET_EXPIRED, LastEvent.SYSTEM, 2, clock.instant()), s.lastEvent());
            EventStatistics last = null;
            while (last == null || last.version() < s.version()) {
                last = seen.poll(10, TimeUnit.SECONDS);
                if (last == null) {
                    throw new AssertionError("the expiry was not published");
                }
            }
            assertEquals(s, last);
        }
    }

    @Test
    void aLapsedHoldsUpdateReachesItsBuyersListenerAndNoOtherBuyers() throws InterruptedException {
        LinkedBlockingQueue<UserUpdate> buyers = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<UserUpdate> others = new LinkedBlockingQueue<>();
        try (Subscription mine = ticketing.statistics().subscribe(BUYER, buyers::add);
             Subscription theirs = ticketing.statistics().subscribe(OTHER_BUYER, others::add)) {
            Reservation r = hold(BUYER, new SeatRef("B", 1, 1, 1));
            assertEquals(ReservationStatus.HELD, buyers.poll(10, TimeUnit.SECONDS).reservation().status());
            clock.advance(Duration.ofMinutes(10)); // the sweeper, not a buyer's call, ends it
            UserUpdate expired = buyers.poll(10, TimeUnit.SECONDS);
            if (expired == null) {
                throw new AssertionError("the buyer's listener did not hear of the expiry");
            }
            assertEquals(r.id(), expired.reservation().id());
            assertEquals(ReservationStatus.EXPIRED, expired.reservation().status());
            assertEquals(BUYER, expired.user());
            assertTrue(others.isEmpty(), "another buyer hears nothing of it: " + others);
        }
    }

    @Test
    void confirmingALapsedHoldReleasesItAtOnce() {
        try (Ticketing slowSweep = Ticketing.builder().clock(clock).expirySweepInterval(Duration.ofMinutes(1)).build()) {
            Event event = slowSweep.events().create(SELLER, Drafts.gala());
            Reservation r = slowSweep.reservations()
                    .reserve(event.id(), ReservationRequest.seats(new SeatRef("A", 2, 1, 1)), null, BUYER).reservation();
            clock.advance(Duration.ofMinutes(10));
            TicketingException e = refused(() -> slowSweep.reservations().confirm(r.id(), null, BUYER));
            assertEquals(ErrorCode.RESERVATION_EXPIRED, e.code());
            assertEquals(ReservationStatus.EXPIRED, slowSweep.reservations().get(r.id(), BUYER).status());
            assertEquals(36, slowSweep.statistics().current(event.id(), null).remainingTickets());
        }
    }

    @Test
    void anUnpublishedEventTakesNoReservations() {
        ticketing.events().update(gala.id(), new EventPatch(null, false), SELLER);
        assertEquals(ErrorCode.CONFLICT, refused(() -> hold(BUYER, new SeatRef("A", 1, 1, 1))).code());
        ticketing.events().update(gala.id(), new EventPatch(EventStatus.ENDED, true), SELLER);
        assertEquals(ErrorCode.CONFLICT, refused(() -> hold(BUYER, new SeatRef("A", 1, 1, 1))).code());
    }

    @Test
    void subscribersSeeEveryKindOfChangeInVersionOrder() throws InterruptedException {
        LinkedBlockingQueue<EventStatistics> seen = new LinkedBlockingQueue<>();
        try (Subscription ignored = ticketing.statistics().subscribe(gala.id(), seen::add)) {
            Reservation r = hold(BUYER, new SeatRef("A", 1, 1, 1));
            reservations.confirm(r.id(), null, BUYER);
            reservations.cancel(r.id(), BUYER);
            ticketing.events().update(gala.id(), new EventPatch(EventStatus.ENDED, null), SELLER);
            List<ChangeType> types = new ArrayList<>();
            long lastVersion = 1;
            while (lastVersion < 5) {
                EventStatistics s = seen.poll(10, TimeUnit.SECONDS);
                if (s == null) {
                    throw new AssertionError("missing updates after " + types);
                }
                assertTrue(s.version() > lastVersion);
                lastVersion = s.version();
                types.add(s.lastEvent().type());
            }
            // Conflation may skip intermediate snapshots, never the last one.
            assertEquals(ChangeType.EVENT_STATUS_CHANGED, types.get(types.size() - 1));
            assertTrue(Arrays.asList(ChangeType.values()).containsAll(types));
        }
    }
}
