package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.Ticketing;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.testing.Await;
import jakarta.servlet.AsyncContext;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one stream writes from its event's slot, and the pacing of its event's updates, against an output
 * whose readiness the test controls.
 */
class SseConnectionTest {
    private static final ObjectMapper MAPPER = TicketingJson.newObjectMapper();
    private static final byte[] RETRY = SseFrameEncoder.retry(3000);

    private Ticketing ticketing;
    private StreamHub hub;
    private EventDispatcher dispatcher;
    private final FakeOutput out = new FakeOutput();

    @BeforeEach
    void start() {
        ticketing = Ticketing.builder().build();
        hub = new StreamHub(ticketing.statistics(), MAPPER, new HttpLimits(Duration.ofHours(1), Duration.ofHours(1),
                10, 10, Duration.ofSeconds(5), Duration.ofSeconds(3), 1024 * 1024, 2, Duration.ZERO, Duration.ZERO, 1, 10, Duration.ofSeconds(60), 70), ticketing.metrics());
    }

    @AfterEach
    void stop() {
        hub.shutdown(Duration.ZERO);
        ticketing.close();
    }

    @Test
    void stalledStreamGetsOnlyTheNewestSnapshotAndNeverAnOlderOneAfterIt() throws IOException {
        SseConnection connection = open();
        EncodedUpdate v1 = dispatcher.encodeCurrent(statistics(1));
        start(connection, v1, StreamResume.FRESH);
        out.ready = true;
        out.listener.onWritePossible();
        assertEquals(text(RETRY) + text(v1.statistics().initialFrame()), out.text());

        out.ready = false; // the client stops reading
        publish(connection, 2);
        publish(connection, 3);
        EncodedUpdate v4 = publish(connection, 4);
        publish(connection, 3);
        assertEquals(2, hub.statistics().messagesConflated());

        out.ready = true;
        out.listener.onWritePossible();
        assertEquals(text(RETRY) + text(v1.statistics().initialFrame()) + text(v4.statistics().updateFrame()), out.text());

        publish(connection, 2);
        assertEquals(text(RETRY) + text(v1.statistics().initialFrame()) + text(v4.statistics().updateFrame()), out.text());
    }

    @Test
    void newerSnapshotBeforeTheFirstWriteIsSentAsInitialStatus() throws IOException {
        SseConnection connection = open();
        start(connection, dispatcher.encodeCurrent(statistics(5)), StreamResume.FRESH);
        EncodedUpdate v6 = publish(connection, 6);
        out.ready = true;
        out.listener.onWritePossible();
        assertEquals(text(RETRY) + text(v6.statistics().initialFrame()), out.text());
    }

    @Test
    void lastEventIdOfTheCurrentVersionSkipsInitialStatus() throws IOException {
        SseConnection connection = open();
        EncodedUpdate v7 = dispatcher.encodeCurrent(statistics(7));
        start(connection, v7, StreamResume.decide(hub.ids().of(7), 7, 7, List.of(), hub.ids(), (since, limit) -> {
            throw new AssertionError("a current id reads no change");
        }, MAPPER));
        out.ready = true;
        out.listener.onWritePossible();
        EncodedUpdate v8 = publish(connection, 8);
        assertEquals(text(RETRY) + text(v8.statistics().updateFrame()), out.text());
    }

    @Test
    void changesWithinTheMinimumUpdateIntervalReachTheStreamAsTheNewestOnlyAfterIt() throws Exception {
        hub.shutdown(Duration.ZERO);
        hub = new StreamHub(ticketing.statistics(), MAPPER, new HttpLimits(Duration.ofHours(1), Duration.ofHours(1),
                10, 10, Duration.ofSeconds(5), Duration.ofSeconds(3), 1024 * 1024, 2, Duration.ofMillis(400), Duration.ZERO, 1, 10, Duration.ofSeconds(60), 70), ticketing.metrics());
        SseConnection connection = open();
        start(connection, dispatcher.encodeCurrent(statistics(0)), StreamResume.FRESH);
        out.ready = true;
        out.listener.onWritePossible();

        long start = System.nanoTime();
        for (long v = 1; v <= 5; v++) {
            dispatcher.onStatistics(statistics(v));
        }
        long deadline = start + Duration.ofSeconds(20).toNanos();
        while (!sentWhole(out.text(), 5) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        long elapsed = System.nanoTime() - start;

        String text = out.text();
        assertTrue(text.contains("id: " + hub.ids().of(1) + "\nevent: status_update"), text); // the first change goes out at once
        for (long v = 2; v <= 4; v++) {
            assertFalse(text.contains("id: " + hub.ids().of(v) + "\n"), "version " + v + " was sent: " + text);
        }
        assertTrue(text.contains("id: " + hub.ids().of(5) + "\nevent: status_update"), text);
        assertTrue(elapsed >= Duration.ofMillis(400).toNanos(), "newest sent after " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void aBusyEventReachesItsStreamsOncePerBusyIntervalAndEndsOnItsNewestSnapshot() throws Exception {
        hub.shutdown(Duration.ZERO);
        hub = new StreamHub(ticketing.statistics(), MAPPER, new HttpLimits(Duration.ofHours(1), Duration.ofHours(1),
                10, 10, Duration.ofSeconds(5), Duration.ofSeconds(3), 1024 * 1024, 2, Duration.ZERO,
                Duration.ofMillis(300), 10, 10, Duration.ofSeconds(60), 70), ticketing.metrics());
        SseConnection connection = open();
        start(connection, dispatcher.encodeCurrent(statistics(0)), StreamResume.FRESH);
        out.ready = true;
        out.listener.onWritePossible();

        for (long v = 1; v <= 200; v++) { // far more than 10 a second: the event is busy after 3 changes
            dispatcher.onStatistics(statistics(v));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!sentWhole(out.text(), 200) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        String text = out.text();
        long updates = text.lines().filter("event: status_update"::equals).count();
        assertTrue(text.contains("id: " + hub.ids().of(200) + "\nevent: status_update"), text);
        assertTrue(updates <= 10, updates + " updates sent: " + text);
    }

    @Test
    void streamsOfSeveralEventsWriteTheFramesEncodedOnceForEveryStreamOfTheEventBehindTheirOwnIdLine() throws IOException {
        hub.shutdown(Duration.ZERO);
        AtomicInteger encodings = new AtomicInteger();
        ObjectMapper counting = new ObjectMapper(MAPPER) {
            @Override
            public String writeValueAsString(Object value) throws JsonProcessingException {
                if (value instanceof EventStatistics) {
                    encodings.incrementAndGet();
                }
                return super.writeValueAsString(value);
            }
        };
        hub = new StreamHub(ticketing.statistics(), counting, new HttpLimits(Duration.ofHours(1), Duration.ofHours(1),
                100, 100, Duration.ofSeconds(5), Duration.ofSeconds(3), 1024 * 1024, 2, Duration.ZERO, Duration.ZERO, 1, 100,
                Duration.ofSeconds(60), 70), ticketing.metrics());
        List<StreamedEvent> three = List.of(new StreamedEvent(1, List.of()), new StreamedEvent(2, List.of()),
                new StreamedEvent(3, List.of()));
        List<FakeOutput> outputs = new ArrayList<>();
        List<EventDispatcher> dispatchers = null;
        for (int i = 0; i < 25; i++) { // 20 streams of three events, 5 of event 2 alone
            FakeOutput output = new FakeOutput();
            output.ready = true;
            outputs.add(output);
            boolean many = i < 20;
            List<StreamedEvent> events = many ? three : List.of(three.get(1));
            StreamOwner owner = StreamOwner.anonymous("127.0.0." + (i + 1));
            hub.tryAdmit(owner);
            SseConnection connection = new SseConnection(hub, events, many, owner, (AsyncContext) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> null),
                    output);
            List<EventDispatcher> attached = hub.attach(connection);
            dispatchers = many ? attached : dispatchers;
            List<Long> has = new ArrayList<>();
            for (int e = 0; e < events.size(); e++) {
                has.add(connection.subscriptions()[e].start(attached.get(e).encodeCurrent(statistics(events.get(e)
                        .eventId(), 0)), StreamResume.FRESH));
            }
            connection.start(RETRY, has);
            output.listener.onWritePossible();
        }
        int changes = 10;
        for (long v = 1; v <= changes; v++) {
            for (int e = 0; e < 3; e++) {
                dispatchers.get(e).onStatistics(statistics(e + 1, v));
            }
        }
        List<String> lastFrames = new ArrayList<>();
        for (int e = 0; e < 3; e++) { // the releases the slots hold: not newer, so nothing is encoded
            lastFrames.add(text(dispatchers.get(e).encodeCurrent(statistics(e + 1, changes)).statistics().updateFrame()
                    .bytes(false)));
        }
        for (int i = 0; i < outputs.size(); i++) {
            FakeOutput output = outputs.get(i);
            List<String> expected = i < 20 ? lastFrames : List.of(lastFrames.get(1));
            Await.until(() -> expected.stream().allMatch(output.text()::contains), Duration.ofSeconds(20),
                    "the last frames of stream " + i);
        }
        // 3 events × (the first snapshot and 10 changes), however many streams carry them
        assertEquals(3 * (1 + changes), encodings.get());
        EncodedSnapshot two = dispatchers.get(1).encodeCurrent(statistics(2, changes)).statistics();
        assertSame(two.updateFrame().bytes(false), two.updateFrame().bytes(false));
        String cursor = "id: " + Long.toString(changes, 36) + "." + Long.toString(changes, 36) + "."
                + Long.toString(changes, 36) + ".-" + hub.ids().epoch() + "\n";
        Await.until(() -> outputs.get(0).text().contains(cursor), Duration.ofSeconds(20), "the last cursor");
        assertTrue(outputs.get(24).text().endsWith(text(two.updateFrame().bytes(true))), outputs.get(24).text());
    }

    /**
     * What a release of {@code version} does to this stream, on the test's thread: the event's slot takes it
     * if it is newer, and the stream is told (as its stripe's pass would) if the slot changed.
     */
    private EncodedUpdate publish(SseConnection connection, long version) {
        EncodedUpdate held = dispatcher.encodeCurrent(statistics(version));
        if (held.version() == version) {
            connection.subscriptions()[0].updated(held.sequence());
        }
        return held;
    }

    /** Whether version {@code v}'s frame was written to the end (the fake output takes one byte at a time). */
    private boolean sentWhole(String text, long v) {
        return text.contains("id: " + hub.ids().of(v) + "\n") && text.endsWith("\n\n");
    }

    /** Starts a stream of one event from {@code current}, as the handler does. */
    private static void start(SseConnection connection, EncodedUpdate current, StreamResume resume) {
        connection.start(RETRY, java.util.Collections.singletonList(connection.subscriptions()[0].start(current, resume)));
    }

    private SseConnection open() {
        AsyncContext async = FakeOutput.asyncContext();
        StreamOwner owner = StreamOwner.anonymous("127.0.0.1");
        SseConnection connection = new SseConnection(hub, List.of(new StreamedEvent(1, List.of())), false, owner,
                async, out);
        hub.tryAdmit(owner);
        dispatcher = hub.attach(connection).get(0);
        return connection;
    }

    private static EventStatistics statistics(long version) {
        return statistics(1, version);
    }

    private static EventStatistics statistics(long eventId, long version) {
        return new EventStatistics(eventId, version, EventStatus.AVAILABLE, 10, 10 - (int) version, (int) version, 0,
                List.of(), null, Instant.parse("2026-11-23T12:00:00Z"));
    }

    private static String text(SharedFrame frame) {
        return text(frame.bytes(true));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
