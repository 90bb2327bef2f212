package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.Ticketing;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.Drafts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's lobby and its streams' sources, on the test's thread: the streams' outputs never become ready,
 * so the test takes their frames itself, as a drain would.
 */
class LobbyTest {
    private static final ObjectMapper MAPPER = TicketingJson.newObjectMapper();
    private static final byte[] RETRY = SseFrameEncoder.retry(3000);
    private static final User SELLER = User.seller(5);

    private Ticketing ticketing;
    private StreamHub hub;

    @BeforeEach
    void start() {
        ticketing = Ticketing.builder().build();
        hub = new StreamHub(ticketing.statistics(), MAPPER, new HttpLimits(Duration.ofHours(1), Duration.ofHours(1),
                10, 10, Duration.ofSeconds(5), Duration.ofSeconds(3), 1024 * 1024, 2, Duration.ZERO, Duration.ZERO, 1, 10,
                Duration.ofSeconds(60), 70), ticketing.metrics());
    }

    @AfterEach
    void stop() {
        hub.shutdown(Duration.ZERO);
        ticketing.close();
    }

    @Test
    void everyStreamWritesTheSameBytesOfEachChangeEncodedOnceForTheNode() {
        Lobby lobby = new Lobby(ticketing, MAPPER, hub, Duration.ofMillis(10), 10);
        long event = newEvent();
        LobbyStream a = open(lobby);
        LobbyStream b = open(lobby);
        assertSame(RETRY, a.next());
        assertSame(RETRY, b.next());
        byte[] initial = a.next();
        assertSame(initial, b.next(), "both streams start from the same initial_status bytes");
        assertTrue(text(initial).startsWith("event: initial_status\ndata: {\"eventId\":" + event + ","), text(initial));
        assertNull(a.next());

        reserve(event, 2);
        Await.until(() -> lobby.latest().sequence() == 1, "the change is released");
        byte[] update = a.next();
        assertSame(update, b.next(), "both streams write the same bytes of the release");
        assertTrue(text(update).startsWith("event: status_update\ndata: {\"eventId\":" + event + ","), text(update));
        assertTrue(text(update).contains("\"allocatedTickets\":2"), text(update));
        assertFalse(text(update).contains("sections"), text(update));
        assertNull(a.next());
    }

    @Test
    void aStreamBehindGetsOneFrameOfEachChangedEventsNewestStateAndNothingOfOneThatCameAndWent() {
        Lobby lobby = new Lobby(ticketing, MAPPER, hub, Duration.ofMillis(10), 10);
        long busy = newEvent();
        long calm = newEvent();
        LobbyStream stream = open(lobby);
        drain(stream);
        for (int i = 1; i <= 3; i++) {
            reserve(busy, 1);
            long sequence = i;
            Await.until(() -> lobby.latest().sequence() == sequence, "release " + sequence);
        }
        long passing = newEvent();
        Await.until(() -> lobby.latest().sequence() == 4, "the new event joins");
        ticketing.events().update(passing, new EventPatch(EventStatus.ENDED, null, null), SELLER);
        Await.until(() -> lobby.latest().sequence() == 5, "it leaves");
        reserve(calm, 1);
        Await.until(() -> lobby.latest().sequence() == 6, "the other event changes");

        List<String> frames = drain(stream);
        assertEquals(2, frames.size(), String.valueOf(frames));
        assertTrue(frames.get(0).startsWith("event: status_update\ndata: {\"eventId\":" + busy + ","), frames.get(0));
        assertTrue(frames.get(0).contains("\"allocatedTickets\":3"), "its newest state: " + frames.get(0));
        assertTrue(frames.get(1).startsWith("event: status_update\ndata: {\"eventId\":" + calm + ","), frames.get(1));
    }

    @Test
    void aStreamFurtherBehindThanTheReleasesKeptIsClosedAndHoldsNothing() {
        Lobby lobby = new Lobby(ticketing, MAPPER, hub, Duration.ofMillis(1), 2);
        long event = newEvent();
        LobbyStream stream = open(lobby);
        drain(stream);
        for (int i = 1; i <= 3; i++) {
            reserve(event, 1);
            long sequence = i;
            Await.until(() -> lobby.latest().sequence() == sequence, "release " + sequence);
        }
        assertNull(stream.next());
        assertFalse(stream.stream().isOpen(), "closed: its client reconnects to the full set");
        assertEquals(1, hub.statistics().slowClientsDropped());
    }

    @Test
    void aSoldOutEventLeavesWithItsLastTotalsAndComesBackWhenASeatIsFree() {
        Lobby lobby = new Lobby(ticketing, MAPPER, hub, Duration.ofMillis(10), 10);
        long event = ticketing.events().create(SELLER, Drafts.available("tiny", 1, 2)).id();
        LobbyStream stream = open(lobby);
        drain(stream);
        String held = ticketing.reservations().reserve(event, ReservationRequest.bestAvailable("A", 1, 2), null,
                User.buyer(9)).reservation().id();
        Await.until(() -> lobby.latest().sequence() == 1, "sold out");
        String left = text(stream.next());
        assertTrue(left.startsWith("event: status_update\ndata: {\"eventId\":" + event + ","), left);
        assertTrue(left.contains("\"status\":\"sold_out\""), left);
        assertTrue(left.endsWith("event: removed\ndata: {\"eventId\":" + event + "}\n\n"), left);

        ticketing.reservations().cancel(held, User.buyer(9));
        Await.until(() -> lobby.latest().sequence() == 2, "back");
        String back = text(stream.next());
        assertTrue(back.startsWith("event: initial_status\ndata: {\"eventId\":" + event + ","), back);
        assertTrue(back.contains("\"remainingTickets\":2"), back);
    }

    private long newEvent() {
        return ticketing.events().create(SELLER, Drafts.available("lobby", 5, 10)).id();
    }

    private void reserve(long event, int seats) {
        ticketing.reservations().reserve(event, ReservationRequest.bestAvailable("A", 1, seats), null, User.buyer(7));
    }

    private LobbyStream open(Lobby lobby) {
        StreamOwner owner = StreamOwner.anonymous("127.0.0.1");
        assertTrue(hub.tryAdmit(owner));
        LobbyStream stream = new LobbyStream(hub, lobby, owner, FakeOutput.asyncContext(), new FakeOutput());
        hub.attach(stream.stream());
        stream.start(RETRY);
        return stream;
    }

    private static List<String> drain(LobbyStream stream) {
        List<String> frames = new ArrayList<>();
        for (byte[] frame = stream.next(); frame != null; frame = stream.next()) {
            if (frame != RETRY) {
                frames.add(text(frame));
            }
        }
        return frames;
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
