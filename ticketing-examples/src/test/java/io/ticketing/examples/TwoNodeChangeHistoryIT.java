package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.examples.bench.ClusterNode;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestPrincipals;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that leaves node A resumes on node B (two nodes on one PostgreSQL schema and one Redis): the
 * stream ids of both nodes carry the same epoch, so B replays what the client missed exactly as A would,
 * and both nodes serve the same change history.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoNodeChangeHistoryIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final User SELLER = User.seller(1);
    private static final User BUYER = User.buyer(7);

    @RegisterExtension
    static final TwoNodeDeployment deployment = new TwoNodeDeployment("it_history");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ClusterNode a;
    private ClusterNode b;

    @BeforeEach
    void twoNodes() throws Exception {
        TwoNodes nodes = deployment.startNodes();
        a = nodes.a();
        b = nodes.b();
    }

    private long createEvent() {
        return a.ticketing().events().create(SELLER, new EventDraft("History", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(5, 10, List.of(new Section("A", 1000, 1), new Section("B", 500, 1))))).id();
    }

    private void reserve(ClusterNode node, long eventId, String section, int row, int seat) {
        node.ticketing().reservations().reserve(eventId,
                ReservationRequest.seats(new SeatRef(section, 1, row, seat)), null, BUYER);
    }

    private long version(long eventId) {
        return a.ticketing().statistics().current(eventId, null).version();
    }

    private static SseRecorder.Message next(SseRecorder sse, String type) throws InterruptedException {
        SseRecorder.Message m = sse.nextEvent(PATIENCE);
        assertEquals(type, m.event(), m::toString);
        return m;
    }

    @Test
    void aClientThatLeftNodeAResumesOnNodeBWithExactlyWhatItMissed() throws Exception {
        long eventId = createEvent();
        String left;
        try (SseRecorder onA = SseRecorder.open(URI.create(a.stream(eventId) + "?seats=A:1"))) {
            next(onA, "initial_status");
            left = next(onA, "seat_map").id();
        }
        reserve(a, eventId, "A", 1, 1);
        reserve(b, eventId, "B", 2, 2); // touches no named subsection
        reserve(a, eventId, "A", 4, 5);
        long current = version(eventId);
        assertEquals(SseRecorder.versionOf(left) + 3, current);

        try (SseRecorder onB = SseRecorder.open(URI.create(b.stream(eventId) + "?seats=A:1"), "Last-Event-ID", left)) {
            SseRecorder.Message first = next(onB, "seat_changes");
            assertEquals(current - 2, SseRecorder.versionOf(first.id()));
            assertEquals(left.substring(left.indexOf('-')), first.id().substring(first.id().indexOf('-')),
                    "node B names versions with the epoch node A used");
            assertEquals(1, SseRecorder.json(first).at("/changes/0/row").asInt());
            SseRecorder.Message initial = next(onB, "initial_status");
            assertFalse(initial.idLine());
            assertEquals(current, SseRecorder.json(initial).get("version").asLong());
            SseRecorder.Message last = next(onB, "seat_changes");
            assertEquals(current, SseRecorder.versionOf(last.id()));
            assertEquals(5, SseRecorder.json(last).at("/changes/0/seat").asInt());
        }
    }

    @Test
    void bothNodesServeTheSameHistory() throws Exception {
        long eventId = createEvent();
        reserve(a, eventId, "A", 1, 1);
        reserve(b, eventId, "A", 1, 2);
        String onA = changes(a, eventId);
        assertEquals(onA, changes(b, eventId));
        assertEquals(3, io.ticketing.core.json.TicketingJson.newObjectMapper().readTree(onA).get("items").size(), onA);
    }

    private String changes(ClusterNode node, long eventId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.api() + "/events/" + eventId
                + "/changes")).header("Authorization", TestPrincipals.bearer(SELLER)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
