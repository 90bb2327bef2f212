package io.ticketing.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventRules;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatMap;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.model.SubsectionStatistics;
import io.ticketing.core.testing.Drafts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link TicketStore} contract as tests. An adapter's test class extends this and implements
 * {@link #newStore()}; every test here must pass unchanged. Shipped in the {@code ticketing-core}
 * test-jar.
 */
public abstract class TicketStoreContract {
    protected static final Instant T0 = Instant.parse("2026-11-22T14:00:00.000Z");
    protected static final Duration HOLD = Duration.ofMinutes(10);
    private static final AtomicInteger RESERVATION_IDS = new AtomicInteger();

    protected TicketStore store;

    /** A new, empty store (or one whose leftovers the tests cannot see, such as a fresh schema). */
    protected abstract TicketStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // ---- helpers ----

    protected Event create(EventDraft draft, long sellerId) {
        return store.createEvent(new NewEvent(draft, sellerId, T0));
    }

    /** Gala: A (2000, 2 subsections) and B (500, 1 subsection), 3 rows × 4 seats: 36 seats. */
    protected Event gala() {
        return create(Drafts.gala(), 3);
    }

    protected static SeatRef seat(String section, int subsection, int row, int seat) {
        return new SeatRef(section, subsection, row, seat);
    }

    protected static String newReservationId() {
        return "r-contract-" + System.nanoTime() + "-" + RESERVATION_IDS.incrementAndGet();
    }

    protected ReservationChange reserve(long eventId, long buyerId, Instant now, SeatRef... seats) {
        return store.reserve(new ReserveCommand.Seats(newReservationId(), eventId, buyerId, List.of(seats),
                null, now, now.plus(HOLD)));
    }

    protected ReservationChange reserveBest(long eventId, long buyerId, String section, int subsection, int quantity) {
        return store.reserve(new ReserveCommand.BestAvailable(newReservationId(), eventId, buyerId, section,
                subsection, quantity, null, T0, T0.plus(HOLD)));
    }

    protected EventStatistics stats(long eventId) {
        return store.statistics(eventId).orElseThrow();
    }

    protected SeatStatus statusOf(long eventId, SeatRef ref) {
        for (Seat s : store.seats(eventId, ref.section(), ref.subsection())) {
            if (s.row() == ref.row() && s.seat() == ref.seat()) {
                return s.status();
            }
        }
        throw new AssertionError("no seat " + ref);
    }

    protected static void assertInvariants(EventStatistics s) {
        assertEquals(s.totalTickets(), s.remainingTickets() + s.allocatedTickets() + s.confirmedTickets(),
                "remaining + allocated + confirmed = total in " + s);
        int total = 0;
        int remaining = 0;
        int allocated = 0;
        int confirmed = 0;
        for (SubsectionStatistics sub : s.sections()) {
            assertEquals(sub.total(), sub.remaining() + sub.allocated() + sub.confirmed(), "per subsection in " + sub);
            total += sub.total();
            remaining += sub.remaining();
            allocated += sub.allocated();
            confirmed += sub.confirmed();
        }
        assertEquals(s.totalTickets(), total);
        assertEquals(s.remainingTickets(), remaining);
        assertEquals(s.allocatedTickets(), allocated);
        assertEquals(s.confirmedTickets(), confirmed);
    }

    protected static void assertCode(ErrorCode expected, Runnable action) {
        TicketingException e = assertThrows(TicketingException.class, action::run);
        assertEquals(expected, e.code(), e.getMessage());
    }

    private static SubsectionStatistics sub(EventStatistics s, String section, int subsection) {
        return s.sections().stream().filter(x -> x.section().equals(section) && x.subsection() == subsection)
                .findFirst().orElseThrow();
    }

    // ---- creation ----

    @Test
    void creatingAnEventStartsItsStatisticsAtVersionOne() {
        Event e = gala();
        assertTrue(e.id() > 0);
        assertEquals("Spring Gala", e.name());
        assertEquals("An evening", e.description());
        assertEquals("Main Hall", e.venueName());
        assertEquals(3, e.sellerId());
        assertEquals(EventStatus.AVAILABLE, e.status());
        assertTrue(e.active());
        assertEquals(Drafts.gala().seatingConfig(), e.seatingConfig());
        assertEquals(T0, e.createdAt());

        EventStatistics s = stats(e.id());
        assertEquals(e.id(), s.eventId());
        assertEquals(1, s.version());
        assertEquals(EventStatus.AVAILABLE, s.status());
        assertEquals(36, s.totalTickets());
        assertEquals(36, s.remainingTickets());
        assertEquals(0, s.allocatedTickets());
        assertEquals(0, s.confirmedTickets());
        assertEquals(new LastEvent(ChangeType.EVENT_CREATED, "seller:3", 0, T0), s.lastEvent());
        assertEquals(T0, s.timestamp());
        assertEquals(List.of(
                new SubsectionStatistics("A", 1, 2000, 12, 12, 0, 0),
                new SubsectionStatistics("A", 2, 2000, 12, 12, 0, 0),
                new SubsectionStatistics("B", 1, 500, 12, 12, 0, 0)), s.sections());
    }

    @Test
    void eventIdsIncreaseWithEveryCreation() {
        long first = gala().id();
        long second = gala().id();
        assertTrue(second > first);
    }

    @Test
    void everySeatIsGeneratedAvailableInRowThenSeatOrder() {
        Event e = gala();
        List<Seat> seats = store.seats(e.id(), "A", 2);
        assertEquals(12, seats.size());
        Set<Long> ids = new HashSet<>();
        int i = 0;
        for (int row = 1; row <= 3; row++) {
            for (int seat = 1; seat <= 4; seat++, i++) {
                Seat s = seats.get(i);
                assertEquals(row, s.row());
                assertEquals(seat, s.seat());
                assertEquals(2000, s.price());
                assertEquals(SeatStatus.AVAILABLE, s.status());
                assertTrue(ids.add(s.id()), "seat ids are unique");
            }
        }
        assertEquals(500, store.seats(e.id(), "B", 1).get(0).price());
    }

    @Test
    void aDraftIsStoredAsDraft() {
        Event e = create(Drafts.draftStatus(Drafts.gala()), 3);
        assertEquals(EventStatus.DRAFT, store.findEvent(e.id()).orElseThrow().status());
        assertEquals(EventStatus.DRAFT, stats(e.id()).status());
    }

    /**
     * Every text the services accept (no control character but tab, line feed and carriage return in a
     * description, no lone surrogate) comes back exactly, and the largest price and total are exact.
     */
    @Test
    void textsThatTheServicesAcceptAreStoredAndReturnedExactly() {
        String name = "Gala \ud83c\udf89 \u00e9\u4e2d\u200b\ufeff\ufffd\uffff \"'%_\\";
        String description = "Line 1\r\nLine 2\tend \ud834\udd1e";
        Event e = create(new EventDraft(name, description, "H\u00e4ll \ud83c\udfad", EventStatus.AVAILABLE,
                new SeatingConfig(1, 50, List.of(new Section("A", 1_000_000_000L, 1)))), 3);
        Event read = store.findEvent(e.id()).orElseThrow();
        assertEquals(name, read.name());
        assertEquals(description, read.description());
        assertEquals("H\u00e4ll \ud83c\udfad", read.venueName());
        List<SeatRef> all = new ArrayList<>();
        for (int s = 1; s <= 50; s++) {
            all.add(seat("A", 1, 1, s));
        }
        Reservation r = store.reserve(new ReserveCommand.Seats(newReservationId(), e.id(), 7, all,
                "key \ud83d\udd11 \u00e9", T0, T0.plus(HOLD))).reservation();
        assertEquals(50_000_000_000L, r.totalPrice());
        assertEquals(r, store.reserve(new ReserveCommand.Seats(newReservationId(), e.id(), 7, all,
                "key \ud83d\udd11 \u00e9", T0, T0.plus(HOLD))).reservation());
        Reservation confirmed = store.confirm(r.id(), "pay \ud83d\udcb3 #1", T0).reservation();
        assertEquals("pay \ud83d\udcb3 #1", confirmed.paymentReference());
        assertEquals(confirmed, store.findReservation(r.id()).orElseThrow());
        assertEquals(50_000_000_000L, store.findReservation(r.id()).orElseThrow().totalPrice());
    }

    @Test
    void summariesAreTheStatisticsOfEachKnownEventWithoutSections() {
        Event a = gala();
        Event b = gala();
        reserve(b.id(), 7, T0, seat("A", 1, 1, 1));
        Map<Long, EventStatistics> summaries = store.summaries(List.of(b.id(), 987_654_321L, a.id()));
        assertEquals(Map.of(a.id(), stats(a.id()).summary(), b.id(), stats(b.id()).summary()), summaries);
        assertEquals(1, summaries.get(b.id()).allocatedTickets());
        assertTrue(store.summaries(List.of()).isEmpty());
    }

    @Test
    void unknownEventsAreEmpty() {
        assertTrue(store.findEvent(987_654_321L).isEmpty());
        assertTrue(store.statistics(987_654_321L).isEmpty());
        assertTrue(store.findReservation("r-nope").isEmpty());
    }

    @Test
    void deletingAnEventRemovesItsSeatsReservationsAndStatistics() {
        Event e = gala();
        Reservation r = reserve(e.id(), 7, T0, seat("A", 1, 1, 1)).reservation();
        store.deleteEvent(e.id());
        assertTrue(store.findEvent(e.id()).isEmpty());
        assertTrue(store.statistics(e.id()).isEmpty());
        assertTrue(store.seats(e.id(), "A", 1).isEmpty());
        assertTrue(store.findReservation(r.id()).isEmpty());
        assertTrue(store.expireHolds(T0.plus(HOLD), 100).stream().noneMatch(c -> c.reservation().eventId() == e.id()),
                "holds of a deleted event never expire later");
        store.deleteEvent(e.id()); // no-op the second time
    }

    // ---- listing ----

    @Test
    void listingReturnsNewestFirstWithFiltersAndPaging() {
        long seller = 1_000_000 + (System.nanoTime() & 0xFFFFFF); // leftovers of other tests belong to others
        String actor = "seller:" + seller;
        Event a = create(Drafts.available("a", 1, 1), seller);
        Event draft = create(Drafts.draftStatus(Drafts.available("draft", 1, 1)), seller);
        Event b = create(Drafts.available("b", 1, 1), seller + 1);
        Event inactive = create(Drafts.available("inactive", 1, 1), seller);
        store.updateEvent(inactive.id(), new EventPatch(null, false), actor, T0);
        Event c = create(Drafts.available("c", 1, 1), seller);

        List<Long> publicIds = ids(store.listEvents(new EventQuery(null, true, Long.MAX_VALUE, 200)));
        assertTrue(publicIds.containsAll(List.of(c.id(), b.id(), a.id())));
        assertFalse(publicIds.contains(draft.id()));
        assertFalse(publicIds.contains(inactive.id()));
        assertTrue(publicIds.indexOf(c.id()) < publicIds.indexOf(b.id()));
        assertTrue(publicIds.indexOf(b.id()) < publicIds.indexOf(a.id()));

        assertEquals(List.of(c.id(), inactive.id(), draft.id(), a.id()),
                ids(store.listEvents(new EventQuery(seller, false, Long.MAX_VALUE, 100))));
        assertEquals(List.of(c.id(), a.id()), ids(store.listEvents(new EventQuery(seller, true, Long.MAX_VALUE, 100))));
        assertEquals(List.of(c.id(), inactive.id()), ids(store.listEvents(new EventQuery(seller, false, Long.MAX_VALUE, 2))));
        assertEquals(List.of(draft.id(), a.id()), ids(store.listEvents(new EventQuery(seller, false, inactive.id(), 2))));
    }

    private static List<Long> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    // ---- reserving ----

    @Test
    void reservingExplicitSeatsHoldsThemAndCountsThem() {
        Event e = gala();
        ReservationChange change = reserve(e.id(), 7, T0, seat("A", 2, 3, 4), seat("B", 1, 1, 1));
        Reservation r = change.reservation();
        assertEquals(e.id(), r.eventId());
        assertEquals(7, r.buyerId());
        assertEquals(ReservationStatus.HELD, r.status());
        assertEquals(2500, r.totalPrice());
        assertEquals(T0.plus(HOLD), r.expiresAt());
        assertEquals(T0, r.createdAt());
        assertEquals(Set.of(new ReservedSeat("A", 2, 3, 4, 2000), new ReservedSeat("B", 1, 1, 1, 500)),
                Set.copyOf(r.seats()));
        assertEquals(r, store.findReservation(r.id()).orElseThrow());

        EventStatistics s = change.statistics();
        assertEquals(2, s.version());
        assertEquals(34, s.remainingTickets());
        assertEquals(2, s.allocatedTickets());
        assertEquals(new LastEvent(ChangeType.TICKET_RESERVED, "buyer:7", 2, T0), s.lastEvent());
        assertEquals(new SubsectionStatistics("A", 2, 2000, 12, 11, 1, 0), sub(s, "A", 2));
        assertEquals(new SubsectionStatistics("A", 1, 2000, 12, 12, 0, 0), sub(s, "A", 1));
        assertInvariants(s);
        assertEquals(s, stats(e.id()));
        assertEquals(SeatStatus.RESERVED, statusOf(e.id(), seat("A", 2, 3, 4)));
    }

    @Test
    void reservingATakenSeatHoldsNothing() {
        Event e = gala();
        reserve(e.id(), 7, T0, seat("A", 1, 1, 2));
        assertCode(ErrorCode.SEATS_UNAVAILABLE, () -> reserve(e.id(), 8, T0, seat("A", 1, 1, 1), seat("A", 1, 1, 2)));
        assertEquals(SeatStatus.AVAILABLE, statusOf(e.id(), seat("A", 1, 1, 1)));
        EventStatistics s = stats(e.id());
        assertEquals(2, s.version());
        assertEquals(1, s.allocatedTickets());
    }

    @Test
    void seatsTheEventDoesNotHaveAreRefusedAndHoldNothing() {
        Event e = gala(); // A: 2 subsections, B: 1; 3 rows of 4 seats each
        for (SeatRef missing : List.of(seat("A", 1, 4, 1), seat("A", 1, 1, 5), seat("A", 1, 0, 1), seat("A", 1, 1, 0),
                seat("A", 3, 1, 1), seat("A", 0, 1, 1), seat("B", 2, 1, 1), seat("Z", 1, 1, 1))) {
            assertCode(ErrorCode.SEATS_UNAVAILABLE, () -> reserve(e.id(), 8, T0, seat("A", 1, 1, 1), missing));
        }
        assertCode(ErrorCode.SEATS_UNAVAILABLE, () -> reserveBest(e.id(), 8, "A", 3, 1));
        assertCode(ErrorCode.SEATS_UNAVAILABLE, () -> reserveBest(e.id(), 8, "Z", 1, 1));
        assertEquals(SeatStatus.AVAILABLE, statusOf(e.id(), seat("A", 1, 1, 1)));
        assertEquals(SeatStatus.AVAILABLE, statusOf(e.id(), seat("A", 2, 1, 1)));
        EventStatistics s = stats(e.id());
        assertEquals(1, s.version());
        assertEquals(36, s.remainingTickets());
    }

    @Test
    void bestAvailablePicksAdjacentSeatsInOneRow() {
        Event e = gala();
        reserve(e.id(), 7, T0, seat("A", 1, 1, 2), seat("A", 1, 2, 3)); // rows 1 and 2 have no run of 3
        Reservation r = reserveBest(e.id(), 8, "A", 1, 3).reservation();
        assertEquals(List.of(new ReservedSeat("A", 1, 3, 1, 2000), new ReservedSeat("A", 1, 3, 2, 2000),
                new ReservedSeat("A", 1, 3, 3, 2000)), sorted(r.seats()));
    }

    @Test
    void bestAvailableTakesScatteredSeatsWhenNoRowHasARun() {
        Event e = create(new EventDraft("small", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(2, 3, List.of(new Section("A", 100, 1)))), 3);
        reserve(e.id(), 7, T0, seat("A", 1, 1, 2), seat("A", 1, 2, 2));
        Reservation r = reserveBest(e.id(), 8, "A", 1, 3).reservation();
        assertEquals(3, r.seats().size());
        assertEquals(3, Set.copyOf(r.seats()).size());
        for (ReservedSeat s : r.seats()) {
            assertNotEquals(2, s.seat(), "seat 2 of each row was taken");
        }
        assertEquals(1, stats(e.id()).remainingTickets());
    }

    @Test
    void bestAvailableRefusesWhenTooFewSeatsRemain() {
        Event e = create(Drafts.available("tiny", 1, 2), 3);
        reserve(e.id(), 7, T0, seat("A", 1, 1, 1));
        assertCode(ErrorCode.SEATS_UNAVAILABLE, () -> reserveBest(e.id(), 8, "A", 1, 2));
        assertEquals(2, stats(e.id()).version());
    }

    private static List<ReservedSeat> sorted(List<ReservedSeat> seats) {
        List<ReservedSeat> copy = new ArrayList<>(seats);
        copy.sort((a, b) -> a.row() != b.row() ? Integer.compare(a.row(), b.row()) : Integer.compare(a.seat(), b.seat()));
        return copy;
    }

    @Test
    void reservingIsRefusedUnlessTheEventIsActiveAndAvailable() {
        Event draft = create(Drafts.draftStatus(Drafts.gala()), 3);
        assertCode(ErrorCode.CONFLICT, () -> reserve(draft.id(), 7, T0, seat("A", 1, 1, 1)));

        Event inactive = gala();
        store.updateEvent(inactive.id(), new EventPatch(null, false), "seller:3", T0);
        assertCode(ErrorCode.CONFLICT, () -> reserve(inactive.id(), 7, T0, seat("A", 1, 1, 1)));

        Event ended = gala();
        store.updateEvent(ended.id(), new EventPatch(EventStatus.ENDED, null), "seller:3", T0);
        assertCode(ErrorCode.CONFLICT, () -> reserveBest(ended.id(), 7, "A", 1, 1));
        assertEquals(36, stats(ended.id()).remainingTickets());
    }

    @Test
    void reservingInAnUnknownEventIsNotFound() {
        assertCode(ErrorCode.NOT_FOUND, () -> reserve(987_654_321L, 7, T0, seat("A", 1, 1, 1)));
    }

    @Test
    void takingTheLastSeatSellsOutAndReleasingOneReopens() {
        Event e = create(Drafts.available("pair", 1, 2), 3);
        reserve(e.id(), 7, T0, seat("A", 1, 1, 1));
        Reservation last = reserve(e.id(), 8, T0, seat("A", 1, 1, 2)).reservation();
        assertEquals(EventStatus.SOLD_OUT, store.findEvent(e.id()).orElseThrow().status());
        assertEquals(EventStatus.SOLD_OUT, stats(e.id()).status());
        assertCode(ErrorCode.CONFLICT, () -> reserveBest(e.id(), 9, "A", 1, 1));

        EventStatistics released = store.cancel(last.id(), T0).statistics();
        assertEquals(EventStatus.AVAILABLE, released.status());
        assertEquals(EventStatus.AVAILABLE, store.findEvent(e.id()).orElseThrow().status());
        assertEquals(1, released.remainingTickets());
    }

    @Test
    void anIdempotencyKeyReturnsTheOriginalReservationToTheSameBuyer() {
        Event e = gala();
        ReserveCommand first = new ReserveCommand.Seats(newReservationId(), e.id(), 7, List.of(seat("A", 1, 1,
                1)), "key-1", T0, T0.plus(HOLD));
        ReservationChange made = store.reserve(first);
        ReserveCommand again = new ReserveCommand.BestAvailable(newReservationId(), e.id(), 7, "A", 1, 2,
                "key-1", T0, T0.plus(HOLD));
        ReservationChange replay = store.reserve(again);
        assertEquals(made.reservation(), replay.reservation());
        assertFalse(replay.changed());
        assertNull(replay.statistics());
        assertEquals(1, stats(e.id()).allocatedTickets());

        ReserveCommand otherBuyer = new ReserveCommand.Seats(newReservationId(), e.id(), 8, List.of(seat("A",
                1, 1, 2)), "key-1", T0, T0.plus(HOLD));
        ReservationChange theirs = store.reserve(otherBuyer);
        assertTrue(theirs.changed());
        assertNotEquals(made.reservation().id(), theirs.reservation().id());
    }

    @Test
    void aFailedReservationDoesNotUseUpItsIdempotencyKey() {
        Event e = gala();
        reserve(e.id(), 8, T0, seat("A", 1, 1, 1));
        ReserveCommand taken = new ReserveCommand.Seats(newReservationId(), e.id(), 7, List.of(seat("A", 1, 1,
                1)), "key-2", T0, T0.plus(HOLD));
        assertCode(ErrorCode.SEATS_UNAVAILABLE, () -> store.reserve(taken));
        ReserveCommand retry = new ReserveCommand.Seats(newReservationId(), e.id(), 7, List.of(seat("A", 1, 1,
                2)), "key-2", T0, T0.plus(HOLD));
        assertTrue(store.reserve(retry).changed());
    }

    // ---- a buyer's reservations ----

    private List<Reservation> list(long buyerId, Long eventId, ReservationStatus status, ReservationPosition after,
                                   int limit) {
        return store.listReservations(new ReservationQuery(buyerId, eventId, status, after, limit));
    }

    private static List<String> reservationIds(List<Reservation> reservations) {
        return reservations.stream().map(Reservation::id).toList();
    }

    @Test
    void aBuyersReservationsAreListedNewestFirstAcrossEventsAndPagesAndNoOneElses() {
        Event e = gala();
        Event f = gala();
        Reservation first = reserve(e.id(), 7, T0, seat("A", 1, 1, 1)).reservation();
        reserve(e.id(), 8, T0.plusSeconds(1), seat("A", 1, 1, 2));
        Reservation second = reserve(f.id(), 7, T0.plusSeconds(2), seat("B", 1, 1, 1)).reservation();
        Reservation third = reserve(e.id(), 7, T0.plusSeconds(3), seat("A", 2, 1, 1), seat("A", 2, 1, 2)).reservation();

        List<Reservation> all = list(7, null, null, null, 10);
        assertEquals(List.of(third, second, first), all);
        List<Reservation> page1 = list(7, null, null, null, 2);
        assertEquals(List.of(third, second), page1);
        assertEquals(List.of(first), list(7, null, null, ReservationPosition.of(second), 2));
        assertEquals(List.of(), list(7, null, null, ReservationPosition.of(first), 2));
        assertEquals(List.of(), list(9, null, null, null, 10));
    }

    @Test
    void reservationsMadeAtTheSameInstantAreListedByIdDescendingOnEveryPage() {
        Event e = gala();
        List<Reservation> made = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            made.add(reserve(e.id(), 7, T0, seat("A", 1, 1, n)).reservation());
        }
        List<String> expected = reservationIds(made).stream().sorted(java.util.Comparator.reverseOrder()).toList();
        List<String> paged = new ArrayList<>();
        ReservationPosition after = null;
        for (int page = 0; page < 4; page++) {
            List<Reservation> got = list(7, null, null, after, 1);
            if (got.isEmpty()) {
                break;
            }
            paged.addAll(reservationIds(got));
            after = ReservationPosition.of(got.get(0));
        }
        assertEquals(expected, paged);
    }

    @Test
    void aBuyersReservationsAreFilteredByEventAndStatus() {
        Event e = gala();
        Event f = gala();
        Reservation held = reserve(e.id(), 7, T0, seat("A", 1, 1, 1)).reservation();
        Reservation confirmed = store.confirm(reserve(e.id(), 7, T0.plusSeconds(1), seat("A", 1, 1, 2)).reservation().id(),
                null, T0.plusSeconds(2)).reservation();
        Reservation cancelled = store.cancel(reserve(f.id(), 7, T0.plusSeconds(3), seat("A", 1, 1, 3)).reservation().id(),
                T0.plusSeconds(4)).reservation();

        assertEquals(List.of(held), list(7, null, ReservationStatus.HELD, null, 10));
        assertEquals(List.of(confirmed), list(7, null, ReservationStatus.CONFIRMED, null, 10));
        assertEquals(List.of(cancelled), list(7, null, ReservationStatus.CANCELLED, null, 10));
        assertEquals(List.of(confirmed, held), list(7, e.id(), null, null, 10));
        assertEquals(List.of(cancelled), list(7, f.id(), null, null, 10));
        assertEquals(List.of(held), list(7, e.id(), ReservationStatus.HELD, null, 1));
        assertEquals(List.of(), list(7, f.id(), ReservationStatus.HELD, null, 10));
    }

    @Test
    void refusedAndReplayedReservationsAreNotListed() {
        Event e = gala();
        Reservation made = store.reserve(new ReserveCommand.Seats(newReservationId(), e.id(), 7,
                List.of(seat("A", 1, 1, 1)), "key-l", T0, T0.plus(HOLD))).reservation();
        store.reserve(new ReserveCommand.Seats(newReservationId(), e.id(), 7, List.of(seat("A", 1, 1, 1)), "key-l",
                T0.plusSeconds(1), T0.plus(HOLD)));
        assertCode(ErrorCode.SEATS_UNAVAILABLE, () -> reserve(e.id(), 7, T0.plusSeconds(2), seat("A", 1, 1, 1)));
        assertEquals(List.of(made), list(7, null, null, null, 10));
    }

    @Test
    void buyersReservingAtOnceEachListOnlyTheirOwn() throws Exception {
        Event e = create(Drafts.available("listing race", 10, 10), 3);
        int buyers = 4;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(buyers);
        try {
            List<Future<List<String>>> made = new ArrayList<>();
            for (int b = 0; b < buyers; b++) {
                long buyer = 100 + b;
                made.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int n = 0; n < each; n++) {
                        mine.add(reserveBest(e.id(), buyer, "A", 1, 1).reservation().id());
                        for (Reservation r : list(buyer, null, null, null, 50)) {
                            assertEquals(buyer, r.buyerId(), "buyer " + buyer + " listed " + r);
                        }
                    }
                    return mine;
                }));
            }
            for (int b = 0; b < buyers; b++) {
                List<String> mine = made.get(b).get(60, TimeUnit.SECONDS);
                List<Reservation> listed = list(100 + b, null, null, null, 50);
                assertEquals(new HashSet<>(mine), new HashSet<>(reservationIds(listed)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- confirming, cancelling, expiring ----

    @Test
    void confirmingSellsTheSeatsAndRepeatingItChangesNothing() {
        Event e = gala();
        Reservation r = reserve(e.id(), 7, T0, seat("A", 1, 1, 1), seat("A", 1, 1, 2)).reservation();
        ReservationChange confirmed = store.confirm(r.id(), "pay-1", T0.plusSeconds(5));
        assertEquals(ReservationStatus.CONFIRMED, confirmed.reservation().status());
        assertEquals("pay-1", confirmed.reservation().paymentReference());
        EventStatistics s = confirmed.statistics();
        assertEquals(3, s.version());
        assertEquals(2, s.confirmedTickets());
        assertEquals(0, s.allocatedTickets());
        assertEquals(new LastEvent(ChangeType.TICKET_CONFIRMED, "buyer:7", 2, T0.plusSeconds(5)), s.lastEvent());
        assertInvariants(s);
        assertEquals(SeatStatus.SOLD, statusOf(e.id(), seat("A", 1, 1, 2)));

        ReservationChange again = store.confirm(r.id(), "pay-1", T0.plusSeconds(6));
        assertFalse(again.changed());
        assertEquals(confirmed.reservation(), again.reservation());
        assertEquals(3, stats(e.id()).version());
    }

    @Test
    void confirmingALapsedHoldIsReservationExpired() {
        Event e = gala();
        Reservation r = reserve(e.id(), 7, T0, seat("A", 1, 1, 1)).reservation();
        assertCode(ErrorCode.RESERVATION_EXPIRED, () -> store.confirm(r.id(), null, T0.plus(HOLD)));
        assertEquals(0, stats(e.id()).confirmedTickets());
        assertNotEquals(SeatStatus.SOLD, statusOf(e.id(), seat("A", 1, 1, 1)));
    }

    @Test
    void confirmingACancelledReservationIsAConflict() {
        Event e = gala();
        Reservation r = reserve(e.id(), 7, T0, seat("A", 1, 1, 1)).reservation();
        store.cancel(r.id(), T0);
        assertCode(ErrorCode.CONFLICT, () -> store.confirm(r.id(), null, T0));
    }

    @Test
    void cancellingAHoldReleasesItsSeatsOnce() {
        Event e = gala();
        Reservation r = reserve(e.id(), 7, T0, seat("B", 1, 2, 2)).reservation();
        ReservationChange cancelled = store.cancel(r.id(), T0.plusSeconds(1));
        assertEquals(ReservationStatus.CANCELLED, cancelled.reservation().status());
        assertEquals(new LastEvent(ChangeType.TICKET_RELEASED, "buyer:7", 1, T0.plusSeconds(1)),
                cancelled.statistics().lastEvent());
        assertEquals(36, cancelled.statistics().remainingTickets());
        assertEquals(SeatStatus.AVAILABLE, statusOf(e.id(), seat("B", 1, 2, 2)));
        assertCode(ErrorCode.CONFLICT, () -> store.cancel(r.id(), T0));
        assertEquals(3, stats(e.id()).version());
    }

    @Test
    void refundingAConfirmedReservationReleasesItsSeatsWhileTheEventRuns() {
        Event e = gala();
        Reservation r = reserve(e.id(), 7, T0, seat("A", 1, 1, 1)).reservation();
        store.confirm(r.id(), null, T0);
        ReservationChange refunded = store.cancel(r.id(), T0);
        assertEquals(ReservationStatus.CANCELLED, refunded.reservation().status());
        assertEquals(0, refunded.statistics().confirmedTickets());
        assertEquals(36, refunded.statistics().remainingTickets());
    }

    @Test
    void refundsCloseWhenTheEventEnds() {
        Event e = gala();
        Reservation r = reserve(e.id(), 7, T0, seat("A", 1, 1, 1)).reservation();
        store.confirm(r.id(), null, T0);
        store.updateEvent(e.id(), new EventPatch(EventStatus.ENDED, null), "seller:3", T0);
        assertCode(ErrorCode.CONFLICT, () -> store.cancel(r.id(), T0));
        assertEquals(1, stats(e.id()).confirmedTickets());
    }

    @Test
    void unknownReservationsAreNotFound() {
        assertCode(ErrorCode.NOT_FOUND, () -> store.confirm("r-unknown", null, T0));
        assertCode(ErrorCode.NOT_FOUND, () -> store.cancel("r-unknown", T0));
    }

    @Test
    void expiringReleasesOnlyLapsedHoldsAsTheSystem() {
        Event e = gala();
        Reservation early = reserve(e.id(), 7, T0, seat("A", 1, 1, 1), seat("A", 1, 1, 2)).reservation();
        Reservation late = reserve(e.id(), 8, T0.plusSeconds(60), seat("A", 1, 2, 1)).reservation();
        Reservation confirmed = reserve(e.id(), 9, T0, seat("A", 1, 3, 1)).reservation();
        store.confirm(confirmed.id(), null, T0);

        assertTrue(store.expireHolds(T0.plus(HOLD).minusMillis(1), 100).isEmpty());
        List<ReservationChange> expired = store.expireHolds(T0.plus(HOLD), 100);
        assertEquals(1, expired.size());
        ReservationChange change = expired.get(0);
        assertEquals(early.id(), change.reservation().id());
        assertEquals(ReservationStatus.EXPIRED, change.reservation().status());
        assertEquals(new LastEvent(ChangeType.TICKET_EXPIRED, LastEvent.SYSTEM, 2, T0.plus(HOLD)),
                change.statistics().lastEvent());
        assertEquals(ReservationStatus.EXPIRED, store.findReservation(early.id()).orElseThrow().status());
        assertEquals(ReservationStatus.HELD, store.findReservation(late.id()).orElseThrow().status());
        assertEquals(SeatStatus.AVAILABLE, statusOf(e.id(), seat("A", 1, 1, 1)));
        EventStatistics s = stats(e.id());
        assertEquals(1, s.allocatedTickets());
        assertEquals(1, s.confirmedTickets());
        assertInvariants(s);

        assertTrue(store.expireHolds(T0.plus(HOLD), 100).isEmpty(), "each hold expires once");
        assertCode(ErrorCode.RESERVATION_EXPIRED, () -> store.confirm(early.id(), null, T0));
        assertCode(ErrorCode.CONFLICT, () -> store.cancel(early.id(), T0));
    }

    @Test
    void expiringRespectsTheBatchLimit() {
        Event e = gala();
        for (int seat = 1; seat <= 4; seat++) {
            reserve(e.id(), 7, T0, seat("A", 1, 1, seat));
        }
        assertEquals(3, store.expireHolds(T0.plus(HOLD), 3).size());
        assertEquals(1, store.expireHolds(T0.plus(HOLD), 3).size());
        assertEquals(36, stats(e.id()).remainingTickets());
    }

    // ---- event status ----

    @Test
    void sellerStatusMovesFollowTheAllowedFlow() {
        Event e = create(Drafts.draftStatus(Drafts.gala()), 3);
        EventChange published = store.updateEvent(e.id(), new EventPatch(EventStatus.AVAILABLE, null), "seller:3",
                T0.plusSeconds(1));
        assertEquals(EventStatus.AVAILABLE, published.event().status());
        assertEquals(2, published.statistics().version());
        assertEquals(new LastEvent(ChangeType.EVENT_STATUS_CHANGED, "seller:3", 0, T0.plusSeconds(1)),
                published.statistics().lastEvent());

        for (EventStatus refused : List.of(EventStatus.DRAFT, EventStatus.SOLD_OUT, EventStatus.AVAILABLE)) {
            assertCode(ErrorCode.CONFLICT, () -> store.updateEvent(e.id(), new EventPatch(refused, null), "seller:3", T0));
        }
        EventChange ended = store.updateEvent(e.id(), new EventPatch(EventStatus.ENDED, null), "seller:3", T0);
        assertEquals(EventStatus.ENDED, ended.statistics().status());
        assertCode(ErrorCode.CONFLICT,
                () -> store.updateEvent(e.id(), new EventPatch(EventStatus.COMPLETED, null), "seller:3", T0));
        assertEquals(3, stats(e.id()).version());
    }

    @Test
    void aDraftCannotEndBeforeItIsPublished() {
        Event e = create(Drafts.draftStatus(Drafts.gala()), 3);
        assertCode(ErrorCode.CONFLICT, () -> store.updateEvent(e.id(), new EventPatch(EventStatus.ENDED, null), "seller:3", T0));
        assertEquals(EventStatus.DRAFT, store.findEvent(e.id()).orElseThrow().status());
    }

    @Test
    void unpublishingKeepsTheStatusAndTheVersion() {
        Event e = gala();
        EventChange change = store.updateEvent(e.id(), new EventPatch(null, false), "seller:3", T0);
        assertFalse(change.event().active());
        assertEquals(EventStatus.AVAILABLE, change.event().status());
        assertNull(change.statistics());
        assertFalse(store.findEvent(e.id()).orElseThrow().active());
        assertEquals(1, stats(e.id()).version());
        assertTrue(store.updateEvent(e.id(), new EventPatch(null, true), "seller:3", T0).event().active());
    }

    @Test
    void updatingAnUnknownEventIsNotFound() {
        assertCode(ErrorCode.NOT_FOUND,
                () -> store.updateEvent(987_654_321L, new EventPatch(null, false), "seller:3", T0));
    }

    // ---- best available, ranked ----

    /** The seats of a reservation as "row-seat" strings, in the reservation's order. */
    private static List<String> places(ReservationChange change) {
        return change.reservation().seats().stream().map(s -> s.row() + "-" + s.seat()).toList();
    }

    /** An event of one section A with one subsection of {@code rows × cols} seats, and these seats taken. */
    private Event layout(int rows, int cols, SeatRef... taken) {
        Event e = create(Drafts.available("layout", rows, cols), 3);
        if (taken.length > 0) {
            reserve(e.id(), 1, T0, taken);
        }
        return e;
    }

    @Test
    void bestAvailableLeavesNoSeatStrandedWhenItCanAsInTheContractsExample() {
        // A fresh row of 5 with seats 1-2 taken: 3-4 and 4-5 each strand one seat; 3-4 is nearer the middle.
        Event e = layout(1, 5, seat("A", 1, 1, 1), seat("A", 1, 1, 2));
        assertEquals(List.of("1-3", "1-4"), places(reserveBest(e.id(), 8, "A", 1, 2)));
    }

    @Test
    void bestAvailablePrefersARowWhereNoSeatIsStrandedToAFrontRow() {
        // Row 1 has seats 2-4 left: any pair strands one. Row 2 is free: pairs 1-2 and 4-5 strand none, are
        // as near the middle as each other, and 1-2 has the lower seat.
        Event e = layout(2, 5, seat("A", 1, 1, 1), seat("A", 1, 1, 5));
        assertEquals(List.of("2-1", "2-2"), places(reserveBest(e.id(), 8, "A", 1, 2)));
    }

    @Test
    void bestAvailableFillsTheFrontRowFromTheMiddle() {
        Event e = layout(2, 6);
        assertEquals(List.of("1-3", "1-4"), places(reserveBest(e.id(), 8, "A", 1, 2)));
        assertEquals(List.of("1-1", "1-2"), places(reserveBest(e.id(), 8, "A", 1, 2))); // 1-2 and 5-6 tie: lower
        assertEquals(List.of("1-5", "1-6"), places(reserveBest(e.id(), 8, "A", 1, 2)));
        // Row 2: 1-3 and 4-6 strand none (2-4 and 3-5 would each strand one) and tie on the middle.
        assertEquals(List.of("2-1", "2-2", "2-3"), places(reserveBest(e.id(), 8, "A", 1, 3)));
    }

    @Test
    void bestAvailableRanksSingleSeatsToo() {
        // Row of 4: seats 2 and 3 are nearest the middle but would each strand an end seat; 1 and 4 strand none.
        Event e = layout(1, 4);
        assertEquals(List.of("1-1"), places(reserveBest(e.id(), 8, "A", 1, 1)));
        assertEquals(List.of("1-2"), places(reserveBest(e.id(), 8, "A", 1, 1))); // 2 leaves 3-4; 3 strands 4
        assertEquals(List.of("1-3"), places(reserveBest(e.id(), 8, "A", 1, 1)));
    }

    @Test
    void bestAvailableCountsOnlyNewlyStrandedSeats() {
        // Row 1: seat 1 already alone; seats 3-6 free. The pair 3-4 or 5-6 strands none; 4-5 strands two.
        // Row 1 wins over the free row 2 although seat 1 stays alone; 3-4 and 5-6 tie on the middle.
        Event e = layout(2, 6, seat("A", 1, 1, 2));
        assertEquals(List.of("1-3", "1-4"), places(reserveBest(e.id(), 8, "A", 1, 2)));
    }

    @Test
    void bestAvailableTakesSeparateSeatsFrontRowsFirstNearestTheMiddle() {
        // No row has two adjacent seats: row 1 has 1 and 3 free, row 2 has 2 and 4.
        Event e = layout(2, 4, seat("A", 1, 1, 2), seat("A", 1, 1, 4), seat("A", 1, 2, 1), seat("A", 1, 2, 3));
        assertEquals(List.of("1-3", "1-1", "2-2"), places(reserveBest(e.id(), 8, "A", 1, 3)));
    }

    @Test
    void bestAvailableSkipsFullRows() {
        Event e = layout(6, 3);
        for (int i = 0; i < 5; i++) {
            reserveBest(e.id(), 8, "A", 1, 3);
        }
        assertEquals(List.of("6-1"), places(reserveBest(e.id(), 8, "A", 1, 1))); // seat 2 would strand 1 and 3
    }

    @Test
    void bestAvailableFindsTheFirstRowWithARunBehindManyRowsOfSingleSeats() {
        Event e = layout(40, 5);
        List<SeatRef> taken = new ArrayList<>();
        for (int row = 1; row < 40; row++) {
            taken.add(seat("A", 1, row, 2));
            taken.add(seat("A", 1, row, 4));
        }
        reserve(e.id(), 1, T0, taken.subList(0, 40).toArray(SeatRef[]::new));
        reserve(e.id(), 1, T0, taken.subList(40, taken.size()).toArray(SeatRef[]::new));
        assertEquals(List.of("40-1", "40-2"), places(reserveBest(e.id(), 8, "A", 1, 2)));
        // A lone seat is an exact fit for one: it strands nothing, so row 1 wins, at its middle.
        assertEquals(List.of("1-3"), places(reserveBest(e.id(), 8, "A", 1, 1)));
    }

    // ---- sales rules: a cap per buyer ----

    private Event capped(int rows, int cols, Integer maxSeatsPerBuyer) {
        EventDraft d = Drafts.available("capped", rows, cols);
        return create(new EventDraft(d.name(), null, null, EventStatus.AVAILABLE, d.seatingConfig(),
                new EventRules(maxSeatsPerBuyer)), 3);
    }

    @Test
    void rulesAreStoredWithTheEvent() {
        Event e = capped(2, 5, 4);
        assertEquals(new EventRules(4), e.rules());
        assertEquals(new EventRules(4), store.findEvent(e.id()).orElseThrow().rules());
        assertEquals(EventRules.NONE, gala().rules());
    }

    @Test
    void aBuyersHeldAndConfirmedSeatsNeverExceedTheCap() {
        Event e = capped(3, 5, 4);
        Reservation a = reserve(e.id(), 7, T0, seat("A", 1, 1, 1), seat("A", 1, 1, 2)).reservation();
        store.confirm(a.id(), null, T0);
        reserveBest(e.id(), 7, "A", 1, 1);
        long version = stats(e.id()).version();

        assertCode(ErrorCode.LIMIT_EXCEEDED, () -> reserveBest(e.id(), 7, "A", 1, 2));
        assertCode(ErrorCode.LIMIT_EXCEEDED, () -> reserve(e.id(), 7, T0, seat("A", 1, 3, 1), seat("A", 1, 3, 2)));
        EventStatistics s = stats(e.id());
        assertEquals(version, s.version(), "a refusal changes nothing");
        assertEquals(12, s.remainingTickets());
        assertEquals(SeatStatus.AVAILABLE, statusOf(e.id(), seat("A", 1, 3, 1)));

        reserve(e.id(), 7, T0, seat("A", 1, 3, 1)); // exactly the cap
        assertEquals(4, reserveBest(e.id(), 8, "A", 1, 4).reservation().seats().size(), "other buyers have their own");
        assertCode(ErrorCode.LIMIT_EXCEEDED, () -> reserveBest(e.id(), 7, "A", 1, 1));
    }

    @Test
    void cancellingRefundingAndExpiringMakeRoomUnderTheCap() {
        Event e = capped(3, 5, 2);
        Reservation held = reserve(e.id(), 7, T0, seat("A", 1, 1, 1), seat("A", 1, 1, 2)).reservation();
        assertCode(ErrorCode.LIMIT_EXCEEDED, () -> reserveBest(e.id(), 7, "A", 1, 1));
        store.cancel(held.id(), T0);

        Reservation confirmed = reserve(e.id(), 7, T0, seat("A", 1, 2, 1), seat("A", 1, 2, 2)).reservation();
        store.confirm(confirmed.id(), null, T0);
        assertCode(ErrorCode.LIMIT_EXCEEDED, () -> reserveBest(e.id(), 7, "A", 1, 1));
        store.cancel(confirmed.id(), T0); // a refund

        reserve(e.id(), 7, T0, seat("A", 1, 3, 1), seat("A", 1, 3, 2));
        assertCode(ErrorCode.LIMIT_EXCEEDED, () -> reserveBest(e.id(), 7, "A", 1, 1));
        assertEquals(1, store.expireHolds(T0.plus(HOLD), 10).size());
        assertEquals(2, reserveBest(e.id(), 7, "A", 1, 2).reservation().seats().size());
    }

    @Test
    void aRulesChangeBindsTheNextReservationWithoutAVersionBump() {
        Event e = capped(3, 5, null);
        reserve(e.id(), 7, T0, seat("A", 1, 1, 1), seat("A", 1, 1, 2), seat("A", 1, 1, 3));
        long version = stats(e.id()).version();

        EventChange change = store.updateEvent(e.id(), new EventPatch(null, null, new EventRules(2)), "seller:3", T0);
        assertEquals(new EventRules(2), change.event().rules());
        assertNull(change.statistics(), "a rules change is no seat or status change");
        assertEquals(version, stats(e.id()).version());
        assertEquals(new EventRules(2), store.findEvent(e.id()).orElseThrow().rules());

        assertCode(ErrorCode.LIMIT_EXCEEDED, () -> reserveBest(e.id(), 7, "A", 1, 1)); // has 3, over the new cap
        assertEquals(3, stats(e.id()).allocatedTickets(), "lowering the cap takes nothing away");
        reserveBest(e.id(), 8, "A", 1, 2);
        assertCode(ErrorCode.LIMIT_EXCEEDED, () -> reserveBest(e.id(), 8, "A", 1, 1));

        store.updateEvent(e.id(), new EventPatch(null, null, EventRules.NONE), "seller:3", T0);
        assertEquals(EventRules.NONE, store.findEvent(e.id()).orElseThrow().rules());
        reserveBest(e.id(), 7, "A", 1, 3);
        assertEquals(version + 2, stats(e.id()).version());
    }

    @Test
    void racingReservationsOfOneBuyerNeverExceedTheCap() throws Exception {
        int cap = 5;
        Event e = capped(10, 10, cap);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<List<Reservation>>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(() -> {
                    List<Reservation> won = new ArrayList<>();
                    for (int attempt = 0; attempt < 30; attempt++) {
                        try {
                            ReservationChange c = attempt % 2 == 0
                                    ? reserveBest(e.id(), 7, "A", 1, 1 + attempt % 3)
                                    : reserve(e.id(), 7, T0, seat("A", 1, 1 + thread, 1 + attempt % 10));
                            won.add(c.reservation());
                            if (attempt % 5 == 0) { // give some back, so the count goes down as well as up
                                store.cancel(c.reservation().id(), T0);
                                won.remove(won.size() - 1);
                            }
                        } catch (TicketingException ex) {
                            if (ex.code() != ErrorCode.LIMIT_EXCEEDED && ex.code() != ErrorCode.SEATS_UNAVAILABLE) {
                                throw ex;
                            }
                        }
                    }
                    return won;
                });
            }
            int held = 0;
            for (Future<List<Reservation>> f : pool.invokeAll(tasks, 2, TimeUnit.MINUTES)) {
                for (Reservation r : f.get()) {
                    held += r.seats().size();
                }
            }
            EventStatistics s = stats(e.id());
            assertTrue(held <= cap, held + " seats held by one buyer, cap " + cap);
            assertEquals(held, s.allocatedTickets());
            assertInvariants(s);
            // The count is exact: the buyer gets what the cap leaves, and no more.
            if (held < cap) {
                assertEquals(cap - held, reserveBest(e.id(), 7, "A", 1, cap - held).reservation().seats().size());
            }
            assertCode(ErrorCode.LIMIT_EXCEEDED, () -> reserveBest(e.id(), 7, "A", 1, 1));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- concurrency ----

    @Test
    void racingBuyersNeverShareASeat() throws Exception {
        Event e = create(Drafts.available("race", 2, 5), 3); // 10 seats
        int buyers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(buyers);
        try {
            List<Callable<List<Reservation>>> tasks = new ArrayList<>();
            for (int b = 0; b < buyers; b++) {
                long buyerId = 100 + b;
                tasks.add(() -> {
                    List<Reservation> won = new ArrayList<>();
                    for (int attempt = 0; attempt < 20; attempt++) {
                        try {
                            ReservationChange c = attempt % 2 == 0
                                    ? reserveBest(e.id(), buyerId, "A", 1, 2)
                                    : reserve(e.id(), buyerId, T0, seat("A", 1, 1 + attempt % 2, 1 + attempt % 5));
                            won.add(c.reservation());
                        } catch (TicketingException ex) {
                            if (ex.code() != ErrorCode.SEATS_UNAVAILABLE && ex.code() != ErrorCode.CONFLICT) {
                                throw ex;
                            }
                        }
                    }
                    return won;
                });
            }
            Set<SeatRef> taken = new HashSet<>();
            int seatsWon = 0;
            for (Future<List<Reservation>> f : pool.invokeAll(tasks, 2, TimeUnit.MINUTES)) {
                for (Reservation r : f.get()) {
                    for (ReservedSeat s : r.seats()) {
                        assertTrue(taken.add(s.ref()), "seat " + s + " was won twice");
                        seatsWon++;
                    }
                }
            }
            EventStatistics s = stats(e.id());
            assertEquals(seatsWon, s.allocatedTickets());
            assertEquals(10 - seatsWon, s.remainingTickets());
            assertInvariants(s);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void versionGrowsWithEveryChange() {
        Event e = gala();
        long last = stats(e.id()).version();
        Reservation a = reserve(e.id(), 7, T0, seat("A", 1, 1, 1)).reservation();
        last = assertGrew(last, e.id());
        store.confirm(a.id(), null, T0);
        last = assertGrew(last, e.id());
        reserveBest(e.id(), 7, "B", 1, 4);
        last = assertGrew(last, e.id());
        store.cancel(a.id(), T0);
        last = assertGrew(last, e.id());
        store.expireHolds(T0.plus(HOLD), 10);
        last = assertGrew(last, e.id());
        store.updateEvent(e.id(), new EventPatch(EventStatus.COMPLETED, null), "seller:3", T0);
        assertGrew(last, e.id());
    }

    // ---- seat changes and seat maps ----

    @Test
    void everyChangeSaysWhichSeatsItMovedAndTheSeatMapShowsThemAtItsVersion() {
        Event e = gala();
        SeatMap start = seatMap(e.id(), "A", 1);
        assertEquals(new SeatMap(e.id(), stats(e.id()).version(), "A", 1, 3, 4, "aaaaaaaaaaaa"), start);
        char[] expected = start.seats().toCharArray();

        ReservationChange held = reserve(e.id(), 7, T0, seat("A", 1, 1, 2), seat("A", 1, 3, 4));
        assertEquals(List.of(new SeatChange("A", 1, 1, 2, SeatStatus.RESERVED),
                new SeatChange("A", 1, 3, 4, SeatStatus.RESERVED)), held.seatChanges());
        assertThrows(UnsupportedOperationException.class, () -> held.seatChanges().remove(0), "unmodifiable");
        assertSeatMapFollows(e.id(), held, expected);
        ReservationChange best = reserveBest(e.id(), 8, "A", 1, 3);
        assertEquals(3, best.seatChanges().size());
        assertSeatMapFollows(e.id(), best, expected);
        assertSeatMapFollows(e.id(), store.confirm(held.reservation().id(), null, T0), expected);
        assertEquals(List.of(), store.confirm(held.reservation().id(), null, T0).seatChanges(), "nothing moved");
        assertSeatMapFollows(e.id(), store.cancel(held.reservation().id(), T0), expected);
        List<ReservationChange> expired = store.expireHolds(T0.plus(HOLD), 10);
        assertEquals(1, expired.size());
        assertTrue(expired.get(0).seatChanges().stream().allMatch(c -> c.status() == SeatStatus.AVAILABLE));
        assertSeatMapFollows(e.id(), expired.get(0), expected);
        assertEquals("aaaaaaaaaaaa", new String(expected));

        store.updateEvent(e.id(), new EventPatch(EventStatus.ENDED, null), "seller:3", T0);
        assertEquals(stats(e.id()).version(), seatMap(e.id(), "A", 1).version(),
                "a status change bumps the version of every seat map");
        assertTrue(store.seatMaps(987_654, List.of(new SubsectionRef("A", 1))).isEmpty());
    }

    @Test
    void seatMapsGiveTheStatisticsAndEveryNamedMapInTheOrderAskedAtOneVersion() {
        Event e = gala();
        reserve(e.id(), 7, T0, seat("B", 1, 2, 3));
        reserveBest(e.id(), 8, "A", 2, 2);
        SeatMaps read = store.seatMaps(e.id(), List.of(new SubsectionRef("B", 1), new SubsectionRef("A", 2)))
                .orElseThrow();
        assertEquals(stats(e.id()), read.statistics());
        assertEquals(List.of("B:1", "A:2"), read.maps().stream().map(m -> m.section() + ":" + m.subsection()).toList());
        assertEquals(new SeatMap(e.id(), read.version(), "B", 1, 3, 4, "aaaaaaraaaaa"), read.maps().get(0));
        assertEquals(new SeatMap(e.id(), read.version(), "A", 2, 3, 4, "rraaaaaaaaaa"), read.maps().get(1));
        assertEquals(List.of(), store.seatMaps(e.id(), List.of()).orElseThrow().maps(), "statistics alone");
    }

    @Test
    void seatMapsReadDuringConcurrentChangesAgreeWithTheirStatistics() throws Exception {
        Event e = gala();
        List<SubsectionRef> named = List.of(new SubsectionRef("A", 1), new SubsectionRef("B", 1));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch firstRead = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long buyer = 20 + t;
                String section = t % 2 == 0 ? "A" : "B";
                writers.add(pool.submit(() -> {
                    assertTrue(firstRead.await(60, TimeUnit.SECONDS)); // so that reads overlap the writes
                    // at least 150 changes, and on until the reader has read a few times (a fast store may
                    // finish 150 while the reader's thread waits to be scheduled), within 30 s
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    for (int i = 0; i < 150 || (reads.get() < 20 && System.nanoTime() < until); i++) {
                        store.cancel(reserveBest(e.id(), buyer, section, 1, 1 + i % 2).reservation().id(), T0);
                    }
                    return null;
                }));
            }
            long versionBefore = 0;
            while ((reads.get() == 0 || writers.stream().anyMatch(f -> !f.isDone())) && reads.get() < 100_000) {
                SeatMaps read = store.seatMaps(e.id(), named).orElseThrow();
                assertTrue(read.version() >= versionBefore, "versions never go back");
                versionBefore = read.version();
                for (SeatMap map : read.maps()) {
                    SubsectionStatistics counted = read.statistics().sections().stream()
                            .filter(x -> x.section().equals(map.section()) && x.subsection() == map.subsection())
                            .findFirst().orElseThrow();
                    assertEquals(counted.remaining(), map.seats().chars().filter(c -> c == 'a').count(), map.toString());
                    assertEquals(counted.allocated(), map.seats().chars().filter(c -> c == 'r').count(), map.toString());
                }
                reads.incrementAndGet();
                firstRead.countDown();
            }
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(reads.get() > 1, "reads overlapped the writes");
    }

    private SeatMap seatMap(long eventId, String section, int subsection) {
        SeatMaps read = store.seatMaps(eventId, List.of(new SubsectionRef(section, subsection))).orElseThrow();
        assertEquals(read.version(), read.maps().get(0).version());
        return read.maps().get(0);
    }

    private void assertSeatMapFollows(long eventId, ReservationChange change, char[] expected) {
        for (SeatChange c : change.seatChanges()) {
            if (c.section().equals("A") && c.subsection() == 1) {
                expected[(c.row() - 1) * 4 + c.seat() - 1] = SeatMap.code(c.status());
            }
        }
        SeatMap map = seatMap(eventId, "A", 1);
        assertEquals(change.statistics().version(), map.version());
        assertEquals(new String(expected), map.seats());
        for (Seat seat : store.seats(eventId, "A", 1)) {
            assertEquals(SeatMap.code(seat.status()), map.seats().charAt((seat.row() - 1) * 4 + seat.seat() - 1));
        }
    }

    private long assertGrew(long before, long eventId) {
        EventStatistics s = stats(eventId);
        assertTrue(s.version() > before, "version " + s.version() + " after " + before);
        assertInvariants(s);
        return s.version();
    }
}
