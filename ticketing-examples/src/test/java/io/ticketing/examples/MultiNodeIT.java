package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.TcpProxy;
import io.ticketing.core.testing.TestEnvironment;
import io.ticketing.examples.bench.ClusterNode;
import io.ticketing.servlet.testing.SeatMapView;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestPrincipals;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes — two {@code Ticketing} instances, each in its own embedded Jetty on its own port, with its
 * own connection pool and Redis broadcaster — sharing the real PostgreSQL (one schema of this test's
 * own) and Redis (a channel prefix of its own), as in production behind a load balancer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiNodeIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = TicketingJson.newObjectMapper();

    @RegisterExtension
    static final TwoNodeDeployment deployment = new TwoNodeDeployment("it_multinode");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ClusterNode a;
    private ClusterNode b;

    /** Starts nodes A and B, both talking to Redis at {@code redisUri}. */
    private void twoNodes(URI redisUri) throws Exception {
        TwoNodes nodes = deployment.startNodes(redisUri);
        a = nodes.a();
        b = nodes.b();
    }

    @Test
    void anSseClientOnNodeBSeesAReservationMadeOnNodeAWithIdenticalStatistics() throws Exception {
        twoNodes(TestEnvironment.redisUri());
        long eventId = createEvent(4, 10);
        Stream onB = stream(b, eventId);

        HttpResponse<String> reserved = reserve(a, eventId, 7, 2);
        assertEquals(201, reserved.statusCode(), reserved.body());

        EventStatistics truth = truth(eventId);
        assertEquals(2, truth.allocatedTickets());
        awaitOnTruth(List.of(onB), eventId);
    }

    @Test
    void ownStreamsOnNodeBCarryTheirUsersChangesMadeOnNodeAAndNoOneElses() throws Exception {
        twoNodes(TestEnvironment.redisUri());
        long eventId = createEvent(4, 10);
        User seller = User.seller(2);
        try (SseRecorder buyer7 = SseRecorder.open(URI.create(b.api() + "/me/stream"), "Authorization",
                TestPrincipals.bearer(User.buyer(7)));
             SseRecorder sellerStream = SseRecorder.open(URI.create(b.api() + "/me/stream"), "Authorization",
                     TestPrincipals.bearer(seller))) {
            assertEquals(200, buyer7.status());
            assertEquals(200, sellerStream.status());
            assertEquals(201, reserve(a, eventId, 8, 1).statusCode());
            HttpResponse<String> mine = reserve(a, eventId, 7, 2);
            assertEquals(201, mine.statusCode(), mine.body());
            SseRecorder.Message m = buyer7.nextEvent(PATIENCE);
            assertEquals("reservation", m.event());
            JsonNode reservation = JSON.readTree(m.data());
            assertEquals(JSON.readTree(mine.body()), reservation, "the body of the reservation, never buyer 8's");

            long created = a.ticketing().events().create(seller, new EventDraft("Later", null, null, EventStatus.DRAFT,
                    new SeatingConfig(2, 2, List.of(new Section("A", 1000, 1))))).id();
            SseRecorder.Message joined = sellerStream.nextEvent(PATIENCE);
            assertEquals("initial_status", joined.event());
            assertEquals(created, JSON.readTree(joined.data()).get("eventId").asLong());
        }
    }

    @Test
    void aLobbyOnNodeBFollowsEventsCreatedChangedAndUnpublishedOnNodeAAndHealsAfterRedisIsCut() throws Exception {
        TcpProxy proxy = twoNodesBehindAProxy();
        try (SseRecorder lobby = SseRecorder.open(URI.create(b.api() + "/stream?all=true"))) {
            assertEquals(200, lobby.status());
            long eventId = createEvent(4, 10);
            awaitLobby(lobby, "initial_status", eventId, data -> true);

            assertEquals(201, reserve(a, eventId, 7, 2).statusCode());
            awaitLobby(lobby, "status_update", eventId, data -> data.get("allocatedTickets").asInt() == 2);

            cutRedis(proxy);
            assertEquals(201, reserve(a, eventId, 8, 3).statusCode());
            proxy.restore();
            awaitLobby(lobby, "status_update", eventId, data -> data.get("allocatedTickets").asInt() == 5);

            a.ticketing().events().update(eventId, new EventPatch(null, false, null), User.seller(1));
            awaitLobby(lobby, "removed", eventId, data -> true);
        }
    }

    /** Skips the lobby's frames until one of {@code type} about {@code eventId} whose data {@code matches}. */
    private static void awaitLobby(SseRecorder lobby, String type, long eventId, Predicate<JsonNode> matches)
            throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            SseRecorder.Message m = lobby.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            JsonNode data = JSON.readTree(m.data());
            if (type.equals(m.event()) && data.get("eventId").asLong() == eventId && matches.test(data)) {
                return;
            }
        }
    }

    @Test
    void aBuyersOwnStreamGetsTheHoldsMadeWhileRedisWasCutOnceItIsBack() throws Exception {
        TcpProxy proxy = twoNodesBehindAProxy();
        long eventId = createEvent(4, 10);
        try (SseRecorder buyer9 = SseRecorder.open(URI.create(b.api() + "/me/stream"), "Authorization",
                TestPrincipals.bearer(User.buyer(9)))) {
            assertEquals(200, buyer9.status());
            cutRedis(proxy);
            HttpResponse<String> made = reserve(a, eventId, 9, 1);
            assertEquals(201, made.statusCode(), made.body());
            proxy.restore();
            SseRecorder.Message m = buyer9.nextEvent(PATIENCE);
            assertEquals("reservation", m.event());
            assertEquals(JSON.readTree(made.body()), JSON.readTree(m.data()));
        }
    }

    @Test
    void aThousandReservationsSplitOverBothNodesLeaveEveryStreamOnTheDatabasesTruth() throws Exception {
        twoNodes(TestEnvironment.redisUri());
        long eventId = createEvent(40, 30); // 1,200 seats
        List<Stream> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            streams.add(stream(a, eventId));
            streams.add(stream(b, eventId));
        }

        ExecutorService buyers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ClusterNode node = t % 2 == 0 ? a : b;
                int buyer = 100 + t;
                runs.add(buyers.submit(() -> {
                    int created = 0;
                    for (int i = 0; i < 250; i++) {
                        HttpResponse<String> response = reserve(node, eventId, buyer, 1);
                        if (response.statusCode() == 201) {
                            created++;
                        }
                    }
                    return created;
                }));
            }
            int created = 0;
            for (Future<Integer> run : runs) {
                created += run.get(90, TimeUnit.SECONDS);
            }
            assertEquals(1_000, created, "every reservation succeeded");
        } finally {
            buyers.shutdownNow();
        }

        EventStatistics truth = truth(eventId);
        assertEquals(1_000, truth.allocatedTickets());
        awaitOnTruth(streams, eventId);
    }

    @Test
    void afterRedisIsCutAndRestoredEveryStreamConvergesOnTheDatabaseWithinFiveSeconds() throws Exception {
        TcpProxy proxy = twoNodesBehindAProxy();
        long eventId = createEvent(10, 20);
        List<Stream> onA = List.of(stream(a, eventId), stream(a, eventId));
        List<Stream> onB = List.of(stream(b, eventId), stream(b, eventId));

        cutRedis(proxy);
        for (int i = 0; i < 20; i++) {
            assertEquals(201, reserve(i % 2 == 0 ? a : b, eventId, 300 + i, 1).statusCode());
        }
        EventStatistics duringOutage = truth(eventId);
        assertEquals(20, duringOutage.allocatedTickets());
        awaitOnTruth(onB, eventId); // the last reservation was node B's own: its streams get it without Redis

        proxy.restore();
        long restored = System.nanoTime();
        awaitOnTruth(List.of(onA.get(0), onA.get(1), onB.get(0), onB.get(1)), eventId, Duration.ofSeconds(5));
        System.out.printf("Streams on both nodes converged %d ms after Redis came back%n",
                (System.nanoTime() - restored) / 1_000_000);
        Await.until(() -> a.redis().isHealthy() && b.redis().isHealthy(), PATIENCE, "both nodes healthy again");
    }

    @Test
    void aSeatReservedOnNodeAReachesSeatMapStreamsOnNodeBAsSeatChanges() throws Exception {
        twoNodes(TestEnvironment.redisUri());
        long eventId = createEvent(25, 20);
        SseRecorder onB = deployment.closeAfterTest(SseRecorder.open(URI.create(b.stream(eventId) + "?seats=A:1")));
        onB.nextEvent(PATIENCE);
        long version = SseRecorder.versionOf(onB.nextEvent(PATIENCE).id()); // the seat_map
        assertEquals(201, reserve(a, eventId, 7, 1).statusCode());
        onB.nextEvent(PATIENCE); // its status_update
        JsonNode changes = SseRecorder.json(onB.assertEvent("seat_changes", version + 1));
        assertEquals("reserved", changes.at("/changes/0/status").asText());
    }

    @Test
    void seatMapStreamsOnBothNodesEndOnTheSeatsEndpointThroughConcurrentReservationsAndAPubSubCut() throws Exception {
        TcpProxy proxy = twoNodesBehindAProxy();
        long eventId = createEvent(25, 20);
        List<SeatMapView> views = new ArrayList<>();
        for (ClusterNode node : List.of(a, b)) {
            SseRecorder recorder = deployment.closeAfterTest(
                    SseRecorder.open(URI.create(node.stream(eventId) + "?seats=A:1")));
            assertEquals(200, recorder.status());
            views.add(new SeatMapView(recorder));
        }
        ExecutorService buyers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ClusterNode node = i % 2 == 0 ? a : b;
                int buyer = 500 + i;
                runs.add(buyers.submit(() -> reserve(node, eventId, buyer, 1).statusCode()));
            }
            for (Future<Integer> run : runs) {
                assertEquals(201, run.get(90, TimeUnit.SECONDS));
            }
        } finally {
            buyers.shutdownNow();
        }
        awaitSeatMapsOnTruth(views, eventId);

        cutRedis(proxy);
        for (int i = 0; i < 10; i++) {
            assertEquals(201, reserve(i % 2 == 0 ? a : b, eventId, 800 + i, 2).statusCode());
        }
        proxy.restore();
        awaitSeatMapsOnTruth(views, eventId);
    }

    /** Every view reaches the database's version and shows exactly what the seats endpoint lists. */
    private void awaitSeatMapsOnTruth(List<SeatMapView> views, long eventId) throws Exception {
        long version = truth(eventId).version();
        HttpResponse<String> seats = http.send(HttpRequest.newBuilder(URI.create(a.api() + "/events/" + eventId
                + "/sections/A/subsections/1/seats")).build(), HttpResponse.BodyHandlers.ofString());
        String expected = SeatMapView.codes(JSON.readTree(seats.body()));
        for (SeatMapView view : views) {
            view.readUntil(version, PATIENCE);
            assertEquals(expected, view.seats("A:1"));
        }
    }

    /** Two nodes that reach Redis through a proxy the test can cut. */
    private TcpProxy twoNodesBehindAProxy() throws Exception {
        URI redis = TestEnvironment.redisUri();
        TcpProxy proxy = deployment.closeAfterTest(new TcpProxy(redis.getHost(), redis.getPort()));
        twoNodes(new URI(redis.getScheme(), redis.getUserInfo(), "127.0.0.1", proxy.port(), redis.getPath(), null, null));
        return proxy;
    }

    private void cutRedis(TcpProxy proxy) throws Exception {
        proxy.cut();
        Await.until(() -> !a.redis().isHealthy() && !b.redis().isHealthy(), PATIENCE, "both nodes see Redis down");
    }

    private long createEvent(int rows, int cols) {
        return a.ticketing().events().create(User.seller(1), new EventDraft("Multi-node", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(rows, cols, List.of(new Section("A", 1000, 1))))).id();
    }

    /** An SSE client of the event on {@code node}, past its {@code initial_status}. */
    private Stream stream(ClusterNode node, long eventId) throws Exception {
        SseRecorder recorder = deployment.closeAfterTest(SseRecorder.open(node.stream(eventId)));
        assertEquals(200, recorder.status());
        Stream stream = new Stream(node.name(), recorder);
        stream.latest = stream.next("initial_status", PATIENCE);
        return stream;
    }

    private HttpResponse<String> reserve(ClusterNode node, long eventId, int buyer, int quantity) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.api() + "/events/" + eventId + "/reservations"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestPrincipals.bearer(User.buyer(buyer)))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"section\": \"A\", \"subsection\": 1, \"quantity\": " + quantity + "}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The database's current statistics, read through node A's store. */
    private EventStatistics truth(long eventId) {
        return a.ticketing().statistics().current(eventId, User.seller(1));
    }

    /** Every stream reaches the database's current snapshot within {@code timeout}, in version order. */
    private void awaitOnTruth(List<Stream> streams, long eventId, Duration timeout) throws Exception {
        EventStatistics truth = truth(eventId);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Stream stream : streams) {
            while (!truth.equals(stream.latest)) {
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                try {
                    stream.latest = stream.next("status_update", left);
                } catch (AssertionError e) {
                    throw new AssertionError("a stream on " + stream.node + " is at v" + stream.latest.version()
                            + ", not the database's v" + truth.version() + " within " + timeout, e);
                }
            }
        }
    }

    private void awaitOnTruth(List<Stream> streams, long eventId) throws Exception {
        awaitOnTruth(streams, eventId, PATIENCE);
    }

    /** One SSE client and the newest snapshot read from it so far. */
    private static final class Stream {
        final String node;
        final SseRecorder recorder;
        EventStatistics latest;

        Stream(String node, SseRecorder recorder) {
            this.node = node;
            this.recorder = recorder;
        }

        /** The next event, which must be of {@code type} and newer than the last, with {@code id:} = version. */
        EventStatistics next(String type, Duration timeout) throws Exception {
            SseRecorder.Message m = recorder.nextEvent(timeout);
            assertEquals(type, m.event(), "event type of " + m);
            EventStatistics statistics = JSON.readValue(m.data(), EventStatistics.class);
            assertEquals(statistics.version(), SseRecorder.versionOf(m.id()), "id of " + m);
            if (latest != null) {
                assertTrue(statistics.version() > latest.version(),
                        "v" + statistics.version() + " after v" + latest.version() + " on " + node);
            }
            return statistics;
        }
    }
}
