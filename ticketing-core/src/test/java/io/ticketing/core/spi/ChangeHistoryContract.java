package io.ticketing.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.testing.Drafts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The change log part of the {@link TicketStore} contract ({@link TicketStore#changes}, {@link TicketStore#epoch})
 * as tests; a store's test class extends it. Shipped in the {@code ticketing-core} test-jar.
 */
public abstract class ChangeHistoryContract {
    protected static final Instant T0 = Instant.parse("2026-11-22T14:00:00.000Z");
    private static final Duration HOLD = Duration.ofMinutes(10);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final List<TicketStore> opened = new ArrayList<>();

    /** A new, empty store whose events keep at least their last {@code changeLogSize} changes. */
    protected abstract TicketStore newStore(int changeLogSize);

    /**
     * Has {@code store} forget what its retention allows, as its maintenance would at {@code now} (a store
     * that trims as it appends has nothing to do).
     */
    protected void prune(TicketStore store, Instant now) {
        store.forgetEnded(now);
    }

    private TicketStore open(int changeLogSize) {
        TicketStore store = newStore(changeLogSize);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(TicketStore::close);
    }

    private static Reservation reserve(TicketStore store, long eventId, long buyer, Instant at, SeatRef... seats) {
        return store.reserve(new ReserveCommand.Seats("r-history-" + System.nanoTime() + "-" + IDS.incrementAndGet(),
                eventId, buyer, List.of(seats), null, at, at.plus(HOLD))).reservation();
    }

    private static SeatRef seat(String section, int subsection, int row, int seat) {
        return new SeatRef(section, subsection, row, seat);
    }

    private static SeatChange moved(SeatRef s, SeatStatus to) {
        return new SeatChange(s.section(), s.subsection(), s.row(), s.seat(), to);
    }

    private static void assertChange(LoggedChange c, long version, ChangeType type, String actor, Instant at,
                                     SeatChange... seats) {
        assertEquals(version, c.version(), c::toString);
        assertEquals(type, c.type(), c::toString);
        assertEquals(actor, c.actor(), c::toString);
        assertEquals(at, c.at(), c::toString);
        assertEquals(List.of(seats), c.seats(), c::toString);
    }

    @Test
    void creationIsVersionOneWithoutSeats() {
        TicketStore store = open(10_000);
        Event e = store.createEvent(new NewEvent(Drafts.gala(), 3, T0));
        ChangePage page = store.changes(e.id(), 0, 100).orElseThrow();
        assertEquals(e.id(), page.eventId());
        assertEquals(1, page.items().size(), page::toString);
        assertChange(page.items().get(0), 1, ChangeType.EVENT_CREATED, "seller:3", T0);
        assertNull(page.next());
    }

    @Test
    void everyChangeIsLoggedInVersionOrderWithItsSeatsAndTheirNewStatus() {
        TicketStore store = open(10_000);
        Event e = store.createEvent(new NewEvent(Drafts.gala(), 3, T0));
        SeatRef a1 = seat("A", 1, 1, 1);
        SeatRef a2 = seat("A", 1, 1, 2);
        SeatRef b = seat("B", 1, 3, 4);
        SeatRef c = seat("A", 2, 2, 3);
        Instant t1 = T0.plusSeconds(1);
        Instant t2 = T0.plusSeconds(2);
        Instant t3 = T0.plusSeconds(3);
        Instant t4 = T0.plusSeconds(4);
        Reservation held = reserve(store, e.id(), 7, t1, a1, a2);
        store.confirm(held.id(), "pay", t2);
        Reservation other = reserve(store, e.id(), 8, t2, b);
        store.cancel(other.id(), t3);
        reserve(store, e.id(), 9, t3, c);
        store.expireHolds(t3.plus(HOLD), 10);
        store.updateEvent(e.id(), new EventPatch(EventStatus.ENDED, null, null), "seller:3", t4);

        List<LoggedChange> items = store.changes(e.id(), 1, 100).orElseThrow().items();
        assertEquals(7, items.size(), items::toString);
        assertChange(items.get(0), 2, ChangeType.TICKET_RESERVED, "buyer:7", t1, moved(a1, SeatStatus.RESERVED),
                moved(a2, SeatStatus.RESERVED));
        assertChange(items.get(1), 3, ChangeType.TICKET_CONFIRMED, "buyer:7", t2, moved(a1, SeatStatus.SOLD),
                moved(a2, SeatStatus.SOLD));
        assertChange(items.get(2), 4, ChangeType.TICKET_RESERVED, "buyer:8", t2, moved(b, SeatStatus.RESERVED));
        assertChange(items.get(3), 5, ChangeType.TICKET_RELEASED, "buyer:8", t3, moved(b, SeatStatus.AVAILABLE));
        assertChange(items.get(4), 6, ChangeType.TICKET_RESERVED, "buyer:9", t3, moved(c, SeatStatus.RESERVED));
        assertChange(items.get(5), 7, ChangeType.TICKET_EXPIRED, LastEvent.SYSTEM, t3.plus(HOLD),
                moved(c, SeatStatus.AVAILABLE));
        assertChange(items.get(6), 8, ChangeType.EVENT_STATUS_CHANGED, "seller:3", t4);
        assertEquals(8, store.statistics(e.id()).orElseThrow().version());
    }

    @Test
    void aBestAvailableHoldIsLoggedWithTheSeatsTheStoreChose() {
        TicketStore store = open(10_000);
        Event e = store.createEvent(new NewEvent(Drafts.gala(), 3, T0));
        Instant t1 = T0.plusSeconds(1);
        ReservationChange held = store.reserve(new ReserveCommand.BestAvailable("r-history-best-" + System.nanoTime(),
                e.id(), 7, "A", 1, 3, null, t1, t1.plus(HOLD)));
        List<LoggedChange> items = store.changes(e.id(), 1, 100).orElseThrow().items();
        assertEquals(1, items.size(), items::toString);
        assertChange(items.get(0), 2, ChangeType.TICKET_RESERVED, "buyer:7", t1,
                held.seatChanges().toArray(SeatChange[]::new));
        assertEquals(3, items.get(0).seats().size(), items::toString);
    }

    @Test
    void pagesFollowNextUntilItIsNull() {
        TicketStore store = open(10_000);
        Event e = store.createEvent(new NewEvent(Drafts.gala(), 3, T0));
        for (int n = 1; n <= 4; n++) {
            reserve(store, e.id(), 7, T0, seat("A", 1, 1, n));
        }
        List<Long> versions = new ArrayList<>();
        long since = 0;
        for (int pages = 0; pages < 10; pages++) {
            ChangePage page = store.changes(e.id(), since, 2).orElseThrow();
            assertTrue(page.items().size() <= 2, page::toString);
            page.items().forEach(c -> versions.add(c.version()));
            if (page.next() == null) {
                break;
            }
            since = page.next();
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), versions);
        ChangePage current = store.changes(e.id(), 5, 2).orElseThrow();
        assertEquals(List.of(), current.items());
        assertNull(current.next());
        assertEquals(List.of(), store.changes(e.id(), 99, 2).orElseThrow().items(), "a version from the future");
    }

    @Test
    void aRefusedChangeLogsNothing() {
        TicketStore store = open(10_000);
        Event e = store.createEvent(new NewEvent(Drafts.gala(), 3, T0));
        reserve(store, e.id(), 7, T0, seat("A", 1, 1, 1));
        TicketingException refused = assertThrows(TicketingException.class,
                () -> reserve(store, e.id(), 8, T0, seat("A", 1, 1, 2), seat("A", 1, 1, 1)));
        assertEquals(ErrorCode.SEATS_UNAVAILABLE, refused.code());
        List<LoggedChange> items = store.changes(e.id(), 0, 100).orElseThrow().items();
        assertEquals(2, items.size(), items::toString);
    }

    @Test
    void anUnknownEventHasNoChanges() {
        TicketStore store = open(10_000);
        assertTrue(store.changes(424_242, 0, 10).isEmpty());
    }

    @Test
    void theEpochIsShortAlphanumericAndStable() {
        TicketStore store = open(10_000);
        String epoch = store.epoch();
        assertTrue(epoch.matches("[A-Za-z0-9]{1,32}"), epoch);
        assertEquals(epoch, store.epoch());
    }

    @Test
    void changesPastTheRetentionAreHistoryExpiredAndTheLastOnesStayKept() {
        TicketStore store = open(5);
        Event e = store.createEvent(new NewEvent(Drafts.gala(), 3, T0));
        for (int n = 1; n <= 6; n++) {
            Reservation r = reserve(store, e.id(), 7, T0, seat("A", 1, 1, 1));
            store.cancel(r.id(), T0);
        }
        long version = store.statistics(e.id()).orElseThrow().version();
        assertEquals(13, version);
        prune(store, T0.plus(Duration.ofDays(400)));
        TicketingException expired = assertThrows(TicketingException.class, () -> store.changes(e.id(), 0, 10));
        assertEquals(ErrorCode.HISTORY_EXPIRED, expired.code());
        assertEquals(ErrorCode.HISTORY_EXPIRED, assertThrows(TicketingException.class,
                () -> store.changes(e.id(), version - 6, 10)).code());
        List<LoggedChange> kept = store.changes(e.id(), version - 5, 10).orElseThrow().items();
        assertEquals(List.of(9L, 10L, 11L, 12L, 13L), kept.stream().map(LoggedChange::version).toList());
        assertEquals(List.of(), store.changes(e.id(), version, 10).orElseThrow().items());
    }
}
