package io.ticketing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventPage;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionSeats;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Drafts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventServiceTest {
    private static final User SELLER = User.seller(3);
    private static final User OTHER_SELLER = User.seller(4);
    private static final User BUYER = User.buyer(7);

    private final Ticketing ticketing = Ticketing.builder().build();
    private final EventService events = ticketing.events();

    @AfterEach
    void close() {
        ticketing.close();
    }

    private static TicketingException refused(Runnable action) {
        return assertThrows(TicketingException.class, action::run);
    }

    @Test
    void aSellerCreatesAnEventWithEveryTicketAvailable() {
        Event e = events.create(SELLER, Drafts.gala());
        assertEquals(3, e.sellerId());
        assertEquals(EventStatus.AVAILABLE, e.status());
        var s = ticketing.statistics().current(e.id(), null);
        assertEquals(36, s.totalTickets());
        assertEquals(36, s.remainingTickets());
    }

    @Test
    void statusDefaultsToAvailable() {
        EventDraft d = Drafts.gala();
        Event e = events.create(SELLER, new EventDraft(d.name(), null, null, null, d.seatingConfig()));
        assertEquals(EventStatus.AVAILABLE, e.status());
    }

    @Test
    void onlySellersCreateEvents() {
        assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> events.create(null, Drafts.gala())).code());
        assertEquals(ErrorCode.FORBIDDEN, refused(() -> events.create(BUYER, Drafts.gala())).code());
    }

    static List<Arguments> invalidDrafts() {
        Function<SeatingConfig, EventDraft> withConfig = c -> new EventDraft("n", null, null, null, c);
        Function<List<Section>, EventDraft> withSections = s -> withConfig.apply(new SeatingConfig(2, 2, s));
        SeatingConfig oneSeat = new SeatingConfig(1, 1, List.of(new Section("A", 1, 1)));
        Function<String, EventDraft> named = name -> new EventDraft(name, null, null, null, oneSeat);
        List<Section> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(new Section("S" + i, 1, 1));
        }
        return List.of(
                Arguments.of(new EventDraft(" ", null, null, null, new SeatingConfig(1, 1, List.of(new Section("A", 1, 1)))), "name"),
                Arguments.of(new EventDraft(null, null, null, null, new SeatingConfig(1, 1, List.of(new Section("A", 1, 1)))), "name"),
                Arguments.of(new EventDraft("x".repeat(201), null, null, null, new SeatingConfig(1, 1, List.of(new Section("A", 1, 1)))), "name"),
                Arguments.of(new EventDraft("n", null, null, EventStatus.ENDED, new SeatingConfig(1, 1, List.of(new Section("A", 1, 1)))), "status"),
                Arguments.of(new EventDraft("n", null, null, EventStatus.SOLD_OUT, new SeatingConfig(1, 1, List.of(new Section("A", 1, 1)))), "status"),
                Arguments.of(new EventDraft("n", null, null, null, null), "seatingConfig"),
                Arguments.of(withConfig.apply(new SeatingConfig(0, 1, List.of(new Section("A", 1, 1)))), "seatingConfig.rows"),
                Arguments.of(withConfig.apply(new SeatingConfig(1001, 1, List.of(new Section("A", 1, 1)))), "seatingConfig.rows"),
                Arguments.of(withConfig.apply(new SeatingConfig(1, 0, List.of(new Section("A", 1, 1)))), "seatingConfig.cols"),
                Arguments.of(withConfig.apply(new SeatingConfig(1, 1001, List.of(new Section("A", 1, 1)))), "seatingConfig.cols"),
                Arguments.of(withSections.apply(List.of()), "seatingConfig.sections"),
                Arguments.of(withSections.apply(null), "seatingConfig.sections"),
                Arguments.of(withSections.apply(tooMany), "seatingConfig.sections"),
                Arguments.of(withSections.apply(Collections.singletonList(null)), "seatingConfig.sections[0]"),
                Arguments.of(withSections.apply(List.of(new Section(" ", 1, 1))), "seatingConfig.sections[0].name"),
                Arguments.of(withSections.apply(List.of(new Section("A B", 1, 1))), "seatingConfig.sections[0].name"),
                Arguments.of(withSections.apply(List.of(new Section("x".repeat(21), 1, 1))), "seatingConfig.sections[0].name"),
                Arguments.of(withSections.apply(List.of(new Section("A", 1, 1), new Section("A", 1, 1))), "seatingConfig.sections[1].name"),
                Arguments.of(withSections.apply(List.of(new Section("A", -1, 1))), "seatingConfig.sections[0].price"),
                Arguments.of(withSections.apply(List.of(new Section("A", 1_000_000_001L, 1))), "seatingConfig.sections[0].price"),
                Arguments.of(withSections.apply(List.of(new Section("A", Long.MAX_VALUE, 1))), "seatingConfig.sections[0].price"),
                Arguments.of(named.apply("Gala\u0000"), "name"),
                Arguments.of(named.apply("Gala\nNight"), "name"),
                Arguments.of(named.apply("Gala\u009b"), "name"),
                Arguments.of(named.apply("Gala \ud83c"), "name"),
                Arguments.of(named.apply("\udf89 Gala"), "name"),
                Arguments.of(new EventDraft("n", "An\u0000evening", null, null, oneSeat), "description"),
                Arguments.of(new EventDraft("n", "\ud800", null, null, oneSeat), "description"),
                Arguments.of(new EventDraft("n", "x".repeat(10_001), null, null, oneSeat), "description"),
                Arguments.of(new EventDraft("n", null, "Hall\u007f", null, oneSeat), "venueName"),
                Arguments.of(new EventDraft("n", null, "Hall\r", null, oneSeat), "venueName"),
                Arguments.of(withSections.apply(List.of(new Section("A", 1, 0))), "seatingConfig.sections[0].subsections"),
                Arguments.of(withSections.apply(List.of(new Section("A", 1, 101))), "seatingConfig.sections[0].subsections"),
                Arguments.of(withConfig.apply(new SeatingConfig(1000, 1000, List.of(new Section("A", 1, 1), new Section("B", 1, 1)))), "seatingConfig"));
    }

    @ParameterizedTest
    @MethodSource("invalidDrafts")
    void invalidDraftsAreRefusedWithTheirFieldAndStoreNothing(EventDraft draft, String field) {
        TicketingException e = refused(() -> events.create(SELLER, draft));
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(events.list(3L, SELLER, 200, null).items().isEmpty());
    }

    @Test
    void textsWithEmojiAndLineBreaksWhereAllowedAreKeptExactly() {
        EventDraft draft = new EventDraft("Gala \ud83c\udf89 \u00e9 \u200b\ufeff", "Line 1\r\nLine 2\tend",
                "H\u00e4ll \ud83c\udfad", null, new SeatingConfig(1, 1, List.of(new Section("A", 1_000_000_000L, 1))));
        Event e = events.create(SELLER, draft);
        Event read = events.get(e.id(), SELLER);
        assertEquals(draft.name(), read.name());
        assertEquals(draft.description(), read.description());
        assertEquals(draft.venueName(), read.venueName());
        assertEquals(1_000_000_000L, read.seatingConfig().sections().get(0).price());
    }

    @Test
    void theLargestAllowedEventHasOneMillionTickets() {
        Event e = events.create(SELLER, Drafts.available("big", 1000, 1000));
        assertEquals(1_000_000, ticketing.statistics().current(e.id(), null).remainingTickets());
    }

    @Test
    void draftsAreVisibleOnlyToTheirSeller() {
        Event draft = events.create(SELLER, Drafts.draftStatus(Drafts.gala()));
        assertEquals(draft, events.get(draft.id(), SELLER));
        for (User viewer : new User[] {null, BUYER, OTHER_SELLER}) {
            assertEquals(ErrorCode.NOT_FOUND, refused(() -> events.get(draft.id(), viewer)).code());
            assertEquals(ErrorCode.NOT_FOUND, refused(() -> ticketing.statistics().current(draft.id(), viewer)).code());
        }
    }

    @Test
    void listingPagesThroughEventsNewestFirst() {
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, events.create(SELLER, Drafts.available("e" + i, 1, 1)).id());
        }
        EventPage first = events.list(null, null, 2, null);
        assertEquals(created.subList(0, 2), first.items().stream().map(Event::id).toList());
        EventPage second = events.list(null, null, 2, first.nextCursor());
        assertEquals(created.subList(2, 4), second.items().stream().map(Event::id).toList());
        EventPage last = events.list(null, null, 2, second.nextCursor());
        assertEquals(created.subList(4, 5), last.items().stream().map(Event::id).toList());
        assertNull(last.nextCursor());
    }

    @Test
    void aSellerSeesAllTheirEventsOthersOnlyPublishedOnes() {
        Event draft = events.create(SELLER, Drafts.draftStatus(Drafts.gala()));
        Event live = events.create(SELLER, Drafts.gala());
        Event hidden = events.create(SELLER, Drafts.gala());
        events.update(hidden.id(), new EventPatch(null, false), SELLER);
        assertEquals(List.of(hidden.id(), live.id(), draft.id()), ids(events.list(3L, SELLER, 50, null)));
        assertEquals(List.of(live.id()), ids(events.list(3L, BUYER, 50, null)));
        assertEquals(List.of(live.id()), ids(events.list(3L, OTHER_SELLER, 50, null)));
        assertEquals(List.of(live.id()), ids(events.list(null, SELLER, 50, null)));
    }

    private static List<Long> ids(EventPage page) {
        return page.items().stream().map(Event::id).toList();
    }

    @Test
    void badPagingIsAValidationError() {
        for (int limit : new int[] {0, 201, -1}) {
            TicketingException e = refused(() -> events.list(null, null, limit, null));
            assertEquals("limit", e.field());
        }
        for (String cursor : new String[] {"garbage!", "", "YmVmb3JlOi0x", "YmVmb3JlOnh4"}) {
            TicketingException e = refused(() -> events.list(null, null, 10, cursor));
            assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
            assertEquals("cursor", e.field());
        }
    }

    @Test
    void onlyTheEventsSellerChangesIt() {
        Event e = events.create(SELLER, Drafts.gala());
        EventPatch end = new EventPatch(EventStatus.ENDED, null);
        assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> events.update(e.id(), end, null)).code());
        assertEquals(ErrorCode.FORBIDDEN, refused(() -> events.update(e.id(), end, BUYER)).code());
        assertEquals(ErrorCode.FORBIDDEN, refused(() -> events.update(e.id(), end, OTHER_SELLER)).code());
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> events.update(987_654L, end, SELLER)).code());
        assertEquals(EventStatus.ENDED, events.update(e.id(), end, SELLER).status());
    }

    @Test
    void anEmptyPatchIsAValidationError() {
        Event e = events.create(SELLER, Drafts.gala());
        assertEquals(ErrorCode.VALIDATION_FAILED, refused(() -> events.update(e.id(), new EventPatch(null, null), SELLER)).code());
    }

    @Test
    void seatsOfAnUnknownSubsectionAreNotFound() {
        Event e = events.create(SELLER, Drafts.gala());
        SubsectionSeats seats = events.seats(e.id(), "A", 2, null);
        assertEquals(12, seats.seats().size());
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> events.seats(e.id(), "A", 3, null)).code());
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> events.seats(e.id(), "Z", 1, null)).code());
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> events.seats(e.id(), "B", 0, null)).code());
        assertFalse(events.seats(e.id(), "B", 1, BUYER).seats().isEmpty());
    }
}
