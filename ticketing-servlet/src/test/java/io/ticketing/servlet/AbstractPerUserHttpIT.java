package io.ticketing.servlet;

import static io.ticketing.servlet.testing.TestPrincipals.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Drafts;
import io.ticketing.servlet.testing.ApiClient.Response;
import io.ticketing.servlet.testing.GapBroadcaster;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.SwitchableStore;
import io.ticketing.servlet.testing.TestPrincipals;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What a user reads of their own ({@code GET /me/…}), over real HTTP, once per servlet container. */
abstract class AbstractPerUserHttpIT extends AbstractHttpIT {
    /** Holds last the default 10 minutes: reservation_expiring comes about 2 s after a hold is made. */
    private static final Duration EXPIRING_LEAD = Duration.ofMinutes(10).minusSeconds(2);
    private static final String BEST_ONE = "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}";

    private final SwitchableStore store = new SwitchableStore(new InMemoryTicketStore());
    private final GapBroadcaster broadcaster = new GapBroadcaster();

    @Override
    Ticketing newTicketing() {
        return Ticketing.builder().store(store).broadcaster(broadcaster).build();
    }

    @Override
    TicketingHttp.Builder settings(Ticketing ticketing) {
        return TicketingHttp.builder(ticketing).principalResolver(expiringResolver()).maxStreamsPerUser(2)
                .heartbeatInterval(Duration.ofMillis(200)).reservationExpiringLead(EXPIRING_LEAD);
    }

    /**
     * {@link TestPrincipals#resolver()}, whose credential expires at the instant a request's
     * {@code X-Credential-Expires} header names, if it has one.
     */
    private static PrincipalResolver expiringResolver() {
        PrincipalResolver users = TestPrincipals.resolver();
        return PrincipalResolver.expiring(request -> {
            String expires = request.getHeader("X-Credential-Expires");
            return users.resolve(request).map(u -> new Credential(u, expires == null ? null : Instant.parse(expires)));
        });
    }

    private long newEvent() {
        return newEvent(Drafts.available("mine", 10, 10));
    }

    /**
     * Holds one seat, then waits for the clock to leave the millisecond of the hold's {@code createdAt}:
     * timestamps are milliseconds, and two holds made in the same one are ordered by their rows, which
     * request threads take from blocks of their own, so the tests that expect newest first need each hold
     * in a millisecond of its own. ({@link Instant#now()} has microseconds: being after {@code createdAt}
     * is not enough.)
     */
    private String reserve(long eventId, User buyer) {
        Response r = api.post("/events/" + eventId + "/reservations", bearer(buyer), BEST_ONE);
        assertEquals(201, r.status(), r.body());
        Instant nextMillisecond = Instant.parse(r.json().get("createdAt").asText()).plusMillis(1);
        while (Instant.now().isBefore(nextMillisecond)) {
            Thread.onSpinWait();
        }
        return r.json().get("id").asText();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    @Test
    void aBuyerPagesThroughTheirOwnReservationsNewestFirst() {
        User buyer = User.buyer(701);
        long event = newEvent();
        long other = newEvent();
        List<String> made = new ArrayList<>();
        made.add(reserve(event, buyer));
        made.add(reserve(other, buyer));
        made.add(reserve(event, buyer));
        reserve(event, User.buyer(702));

        Response first = api.get("/me/reservations?limit=2", bearer(buyer));
        assertEquals(200, first.status(), first.body());
        List<String> seen = new ArrayList<>(ids(first.json()));
        String cursor = first.json().get("nextCursor").asText();
        Response second = api.get("/me/reservations?limit=2&cursor=" + cursor, bearer(buyer));
        assertEquals(200, second.status(), second.body());
        seen.addAll(ids(second.json()));
        assertTrue(second.json().get("nextCursor").isNull());
        assertEquals(Set.copyOf(made), Set.copyOf(seen));
        assertEquals(3, seen.size());
        JsonNode item = first.json().at("/items/0");
        assertEquals(701, item.get("buyerId").asLong());
        assertEquals("held", item.get("status").asText());
    }

    @Test
    void aBuyersReservationsAreFilteredByEventAndStatus() {
        User buyer = User.buyer(711);
        long event = newEvent();
        long other = newEvent();
        String confirmed = reserve(event, buyer);
        assertEquals(200, api.post("/reservations/" + confirmed + "/confirm", bearer(buyer), null).status());
        String held = reserve(event, buyer);
        String elsewhere = reserve(other, buyer);

        assertEquals(List.of(held, confirmed), ids(api.get("/me/reservations?eventId=" + event, bearer(buyer)).json()));
        assertEquals(List.of(elsewhere, held), ids(api.get("/me/reservations?status=held", bearer(buyer)).json()));
        assertEquals(List.of(confirmed),
                ids(api.get("/me/reservations?status=confirmed&eventId=" + event, bearer(buyer)).json()));
        assertEquals(List.of(), ids(api.get("/me/reservations?status=expired", bearer(buyer)).json()));
    }

    @Test
    void onlyABuyerListsAndBadParametersAre400() {
        assertEquals("unauthorized", api.get("/me/reservations", null).json().at("/error/code").asText());
        assertEquals(401, api.get("/me/reservations", null).status());
        assertEquals(403, api.get("/me/reservations", bearer(SELLER)).status());
        String buyer = bearer(User.buyer(721));
        for (String[] bad : new String[][] {{"status=gone", "status"}, {"eventId=0", "eventId"},
                {"eventId=x", "eventId"}, {"limit=201", "limit"}, {"limit=0", "limit"}, {"cursor=abc", "cursor"}}) {
            Response r = api.get("/me/reservations?" + bad[0], buyer);
            assertEquals(400, r.status(), bad[0]);
            assertEquals("validation_failed", r.json().at("/error/code").asText(), bad[0]);
            assertEquals(bad[1], r.json().at("/error/field").asText(), bad[0]);
        }
        assertEquals(405, api.post("/me/reservations", buyer, "{}").status());
    }

    // ---- GET /me/stream --------------------------------------------------------------------------

    /** The next event of {@code type}, skipping others. */
    private static JsonNode next(SseRecorder sse, String type) throws Exception {
        while (true) {
            SseRecorder.Message m = sse.nextEvent(WAIT);
            if (type.equals(m.event())) {
                return SseRecorder.json(m);
            }
        }
    }

    private SseRecorder me(User user) throws Exception {
        SseRecorder sse = SseRecorder.open(server.uri("/me/stream"), "Authorization", bearer(user));
        assertEquals(200, sse.status());
        assertTrue(sse.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return sse;
    }

    @Test
    void aBuyersStreamStartsWithTheirHoldsThenCarriesOnlyTheirReservationsChanges() throws Exception {
        User buyer = User.buyer(761);
        long event = newEvent();
        String before = reserve(event, buyer);
        String confirmedBefore = reserve(event, buyer);
        assertEquals(200, api.post("/reservations/" + confirmedBefore + "/confirm", bearer(buyer), null).status());
        try (SseRecorder sse = me(buyer)) {
            JsonNode first = next(sse, "reservation");
            assertEquals(before, first.get("id").asText(), "only the open hold is sent on connect");
            assertEquals("held", first.get("status").asText());
            reserve(event, User.buyer(762));
            String made = reserve(event, buyer);
            JsonNode created = next(sse, "reservation");
            assertEquals(made, created.get("id").asText(), "another buyer's reservation is never sent");
            assertEquals(761, created.get("buyerId").asLong());
            assertEquals(200, api.post("/reservations/" + made + "/cancel", bearer(buyer), null).status());
            JsonNode cancelled = next(sse, "reservation");
            assertEquals(made, cancelled.get("id").asText());
            assertEquals("cancelled", cancelled.get("status").asText());
        }
    }

    @Test
    void aHoldIsAnnouncedAsExpiringOnceItsLeadTimeIsLeft() throws Exception {
        User buyer = User.buyer(771);
        long event = newEvent();
        try (SseRecorder sse = me(buyer)) {
            String made = reserve(event, buyer);
            assertEquals(made, next(sse, "reservation").get("id").asText());
            JsonNode expiring = next(sse, "reservation_expiring");
            assertEquals(made, expiring.get("id").asText());
            assertEquals("held", expiring.get("status").asText());
            String other = reserve(event, buyer);
            assertEquals(other, next(sse, "reservation").get("id").asText());
            assertEquals(other, next(sse, "reservation_expiring").get("id").asText(), "each hold once");
        }
    }

    @Test
    void aSellersStreamCarriesTheirOwnEventsDraftsAndNewOnesIncluded() throws Exception {
        User seller = User.seller(781);
        long draft = ticketing.events().create(seller, Drafts.draftStatus(Drafts.gala())).id();
        long othersEvent = newEvent();
        try (SseRecorder sse = me(seller)) {
            JsonNode initial = next(sse, "initial_status");
            assertEquals(draft, initial.get("eventId").asLong());
            assertEquals("draft", initial.get("status").asText());
            Response published = api.patch("/events/" + draft, bearer(seller), "{\"status\": \"available\"}");
            assertEquals(200, published.status(), published.body());
            JsonNode update = next(sse, "status_update");
            assertEquals(draft, update.get("eventId").asLong());
            assertEquals("available", update.get("status").asText());
            reserve(othersEvent, User.buyer(782));
            long created = ticketing.events().create(seller, Drafts.available("later", 5, 5)).id();
            JsonNode joined = next(sse, "initial_status");
            assertEquals(created, joined.get("eventId").asLong(), "another seller's event is never sent");
            reserve(created, User.buyer(782));
            JsonNode sold = next(sse, "status_update");
            assertEquals(created, sold.get("eventId").asLong());
            assertEquals(1, sold.get("allocatedTickets").asInt());
        }
    }

    @Test
    void theOwnStreamNeedsAUser() throws Exception {
        try (SseRecorder anonymous = SseRecorder.open(server.uri("/me/stream"))) {
            assertEquals(401, anonymous.status());
            assertEquals("unauthorized", anonymous.errorBody().at("/error/code").asText());
        }
        String token = streamToken(bearer(User.buyer(791)));
        try (SseRecorder viaToken = SseRecorder.open(server.uri("/me/stream?streamToken=" + token))) {
            assertEquals(200, viaToken.status());
        }
    }

    @Test
    void withTheStoreDownTheOwnStreamIs503AndOpensNothing() throws Exception {
        User buyer = User.buyer(795);
        User seller = User.seller(796);
        String held = reserve(newEvent(), buyer);
        store.down = true;
        try {
            // more attempts than maxStreamsPerUser: a refused stream keeps no slot
            for (int attempt = 0; attempt < 3; attempt++) {
                for (User user : List.of(buyer, seller)) {
                    try (SseRecorder refused = SseRecorder.open(server.uri("/me/stream"), "Authorization", bearer(user))) {
                        assertEquals(503, refused.status(), user.toString());
                        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
                        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
                        assertEquals("unavailable", refused.errorBody().at("/error/code").asText());
                    }
                }
            }
        } finally {
            store.down = false;
        }
        try (SseRecorder sse = me(buyer)) {
            assertEquals(held, next(sse, "reservation").get("id").asText(), "the store is back: the stream opens");
        }
    }

    @Test
    void aStreamThatCannotReadItsStateAgainAfterAGapCloses() throws Exception {
        User buyer = User.buyer(797);
        String held = reserve(newEvent(), buyer);
        try (SseRecorder sse = me(buyer)) {
            assertEquals(held, next(sse, "reservation").get("id").asText());
            store.down = true;
            try {
                broadcaster.gapUsers(); // updates may have been lost, and the holds cannot be read again
                sse.assertEnd();
            } finally {
                store.down = false;
            }
        }
        try (SseRecorder again = me(buyer)) {
            assertEquals(held, next(again, "reservation").get("id").asText(), "a reconnect starts from the current state");
        }
    }

    // ---- credentials on streams --------------------------------------------------------------------

    private String streamToken(String authorization, String... headers) {
        Response r = api.send("POST", "/stream-tokens", authorization, null, null, headers);
        assertEquals(201, r.status(), r.body());
        assertEquals("no-store", r.header("Cache-Control"));
        assertTrue(Instant.parse(r.json().get("expiresAt").asText()).isAfter(Instant.now().plusSeconds(50)));
        return r.json().get("token").asText();
    }

    @Test
    void aStreamTokenOpensAStreamAsItsUserWithoutAHeader() throws Exception {
        long draft = ticketing.events().create(SELLER, Drafts.draftStatus(Drafts.gala())).id();
        String token = streamToken(bearer(SELLER));
        try (SseRecorder anonymous = SseRecorder.open(server.uri("/events/" + draft + "/stream"))) {
            assertEquals(404, anonymous.status());
        }
        try (SseRecorder seller = SseRecorder.open(server.uri("/events/" + draft + "/stream?streamToken=" + token))) {
            assertEquals(200, seller.status());
            seller.assertEvent("initial_status", 1);
        }
    }

    @Test
    void aBadStreamTokenIs401AndOnlyAUserGetsOne() throws Exception {
        long event = newEvent();
        String token = streamToken(bearer(User.buyer(731)));
        try (SseRecorder forged = SseRecorder.open(server.uri("/events/" + event + "/stream?streamToken=x"
                + token))) {
            assertEquals(401, forged.status());
            assertEquals("unauthorized", forged.errorBody().at("/error/code").asText());
        }
        Response anonymous = api.post("/stream-tokens", null, null);
        assertEquals(401, anonymous.status());
        assertEquals("Bearer", anonymous.header("WWW-Authenticate"));
        assertEquals(405, api.get("/stream-tokens", bearer(User.buyer(731))).status());
    }

    @Test
    void aStreamClosesWhenItsCredentialExpiresEvenWhenOpenedWithAStreamToken() throws Exception {
        long event = newEvent();
        String expires = Instant.now().plusSeconds(2).toString();
        try (SseRecorder direct = SseRecorder.open(server.uri("/events/" + event + "/stream"),
                "Authorization", bearer(User.buyer(741)), "X-Credential-Expires", expires)) {
            assertEquals(200, direct.status());
            direct.assertEvent("initial_status", 1);
            String token = streamToken(bearer(User.buyer(742)), "X-Credential-Expires", expires);
            try (SseRecorder viaToken = SseRecorder.open(server.uri("/events/" + event + "/stream?streamToken=" + token))) {
                viaToken.assertEvent("initial_status", 1);
                direct.assertEnd();
                viaToken.assertEnd();
            }
        }
    }

    @Test
    void aUserHoldsAtMostMaxStreamsPerUserStreamsOnANode() throws Exception {
        long event = newEvent();
        String user = bearer(User.buyer(751));
        URI uri = server.uri("/events/" + event + "/stream");
        try (SseRecorder first = SseRecorder.open(uri, "Authorization", user);
             SseRecorder second = SseRecorder.open(uri, "Authorization", user);
             SseRecorder third = SseRecorder.open(uri, "Authorization", user);
             SseRecorder otherUser = SseRecorder.open(uri, "Authorization", bearer(User.seller(751)));
             SseRecorder anonymous = SseRecorder.open(uri)) {
            assertEquals(200, first.status());
            assertEquals(200, second.status());
            assertEquals(429, third.status());
            assertEquals("too_many_connections", third.errorBody().at("/error/code").asText());
            assertEquals(200, otherUser.status());
            assertEquals(200, anonymous.status());
        }
        Awaitility.await().atMost(WAIT).until(() -> {
            try (SseRecorder again = SseRecorder.open(uri, "Authorization", user)) {
                return again.status() == 200;
            }
        });
    }

    @Test
    void buyersReservingAtOnceNeverSeeAnotherBuyersReservation() throws Exception {
        long event = newEvent();
        int buyers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(buyers);
        try {
            List<Future<Set<String>>> runs = new ArrayList<>();
            for (int b = 0; b < buyers; b++) {
                User buyer = User.buyer(800 + b);
                runs.add(pool.submit(() -> {
                    Set<String> mine = new HashSet<>();
                    for (int n = 0; n < 8; n++) {
                        mine.add(reserve(event, buyer));
                        JsonNode page = api.get("/me/reservations?limit=200", bearer(buyer)).json();
                        page.get("items").forEach(r -> assertEquals(buyer.id(), r.get("buyerId").asLong(), r.toString()));
                        assertTrue(Set.copyOf(ids(page)).containsAll(mine), "own reservations missing");
                    }
                    return mine;
                }));
            }
            for (int b = 0; b < buyers; b++) {
                Set<String> mine = runs.get(b).get(60, TimeUnit.SECONDS);
                JsonNode page = api.get("/me/reservations?limit=200", bearer(User.buyer(800 + b))).json();
                assertEquals(mine, Set.copyOf(ids(page)));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
