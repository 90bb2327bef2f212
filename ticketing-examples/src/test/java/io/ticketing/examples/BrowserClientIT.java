package io.ticketing.examples;

import static io.ticketing.examples.PageUnderTest.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser client ({@code <mount>/ticketing-client.js}) in headless Chromium: imported as an ES module
 * from the API mount of a real server, it keeps the statistics and a seat map live, and reconnects with
 * backoff after the server refused it; over a scripted {@code EventSource} it handles {@code reset},
 * stale seat changes and the browser's own retry exactly as documented; its {@code /me/stream} helper brings
 * a buyer's reservations and a seller's events with a stream token, and keeps the newest statistics per event;
 * its several-events helper keeps each event's statistics and seat maps, its lobby helper follows events joining
 * and leaving and reconnects with backoff after the server dropped it, and its {@code /me/stream} helper keeps
 * the open holds.
 */
class BrowserClientIT {
    @RegisterExtension
    static final PageUnderTest page = new PageUnderTest(800, 600);

    private final TestApi api = page.api();
    private final ChromeDriver browser = page.browser();

    @Test
    void keepsTheStatisticsAndTheSeatMapOfANamedSubsectionLive() {
        long eventId = api.createGala(api.demoToken(3, "seller"));
        open();
        browser.executeScript("""
                window.seen = { maps: 0, changes: [], states: [] };
                window.stream = window.client.openEventStream('/api', arguments[0], {
                  seats: [['A', 1]],
                  onSeatMap: () => { window.seen.maps++; },
                  onSeatChanges: (changes) => { window.seen.changes.push(...changes); },
                  onStateChange: (state) => { window.seen.states.push(state); },
                });
                """, eventId);
        waitUntil("the first seat map", "return window.stream.seatMap('A', 1) !== undefined");
        assertEquals("available", browser.executeScript("return window.stream.seatMap('A', 1).status(2, 5)"));
        assertEquals(216L, browser.executeScript("return window.stream.statistics.remainingTickets"));

        TestApi.Response held = api.post("/api/events/" + eventId + "/reservations", api.demoToken(8, "buyer"),
                "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 2, \"seat\": 5},"
                        + " {\"section\": \"A\", \"subsection\": 1, \"row\": 2, \"seat\": 6}]}");
        assertEquals(201, held.status(), held::toString);

        waitUntil("the hold in the seat map and the statistics", """
                const map = window.stream.seatMap('A', 1);
                return map.status(2, 5) === 'reserved' && map.status(2, 6) === 'reserved'
                    && window.stream.statistics.allocatedTickets === 2;
                """);
        assertEquals("available", browser.executeScript("return window.stream.seatMap('A', 1).status(2, 7)"));
        assertEquals(1L, browser.executeScript("return window.seen.maps"), "one map, then changes only");
        assertEquals(2L, browser.executeScript("return window.seen.changes.length"));
        assertEquals(List.of("connecting", "open"), browser.executeScript("return window.seen.states"));
        browser.executeScript("window.stream.close()");
    }

    @Test
    void aRefusedStreamIsRetriedWithBackoffUntilTheServerTakesIt() throws Exception {
        try (ExampleServer oneStreamPerAddress = PageUnderTest.startApp("--max-streams-per-address", "1")) {
            TestApi own = new TestApi(oneStreamPerAddress.uri());
            long eventId = own.createGala(own.demoToken(3, "seller"));
            open(oneStreamPerAddress);
            browser.executeScript("""
                    window.first = window.client.openEventStream('/api', arguments[0], {});
                    """, eventId);
            waitUntil("the first stream", "return window.first.state === 'open' && window.first.statistics !== null");
            browser.executeScript("""
                    window.states = [];
                    window.second = window.client.openEventStream('/api', arguments[0], {
                      initialBackoffMs: 100, maxBackoffMs: 400,
                      onStateChange: (state) => window.states.push(state),
                    });
                    """, eventId);
            waitUntil("the refusal (one stream per address)", "return window.second.attempt >= 2");
            assertEquals("reconnecting", browser.executeScript("return window.second.state"));

            browser.executeScript("window.first.close()");
            waitUntil("the retried stream", "return window.second.state === 'open' && window.second.statistics !== null");
            assertEquals(List.of("connecting", "reconnecting", "open"), browser.executeScript("return window.states"));
            assertEquals(0L, browser.executeScript("return window.second.attempt"), "an open stream starts the backoff over");
            browser.executeScript("window.second.close()");
        }
    }

    @Test
    void resetDropsWhatWasKeptAndOnlyNewerSeatChangesApply() {
        open();
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.executeAsyncScript(FAKE_EVENT_SOURCE + """
                const resets = [];
                const stream = window.client.openEventStream('/api', 12, {
                  seats: [['A', 1]], EventSource: FakeEventSource, onReset: (reason) => resets.push(reason),
                });
                await new Promise((resolve) => setTimeout(resolve, 0)); // connect() is async
                const source = FakeEventSource.instances[0];
                source.emit('open');
                source.emit('initial_status', { eventId: 12, version: 5, remainingTickets: 3 });
                source.emit('seat_map', { eventId: 12, version: 5, section: 'A', subsection: 1, rows: 1, cols: 3, seats: 'aaa' });
                const change = (version, seat, status) => ({ eventId: 12, version,
                    changes: [{ section: 'A', subsection: 1, row: 1, seat, status }] });
                source.emit('seat_changes', change(6, 2, 'reserved'));
                source.emit('seat_changes', change(6, 3, 'sold'));   // a version the map already has: ignored
                source.emit('status_update', { eventId: 12, version: 4, remainingTickets: 9 }); // older: ignored
                const before = { seats: stream.seatMap('A', 1).toString(), remaining: stream.statistics.remainingTickets };
                source.emit('reset', { reason: 'epoch' });
                const afterReset = { map: stream.seatMap('A', 1) === undefined, statistics: stream.statistics };
                source.emit('initial_status', { eventId: 12, version: 1, remainingTickets: 3 });
                source.emit('seat_map', { eventId: 12, version: 1, section: 'A', subsection: 1, rows: 1, cols: 3, seats: 'saa' });
                const url = source.url;
                stream.close();
                return { before, afterReset, resets, url, version: stream.statistics.version,
                    seats: stream.seatMap('A', 1).toString() };
                """ + FAKE_EVENT_SOURCE_END);
        assertEquals(Map.of("seats", "ara", "remaining", 3L), seen.get("before"));
        Map<String, Object> afterReset = new HashMap<>();
        afterReset.put("map", true);
        afterReset.put("statistics", null);
        assertEquals(afterReset, seen.get("afterReset"));
        assertEquals(List.of("epoch"), seen.get("resets"));
        assertEquals(1L, seen.get("version"), "after a reset a lower version is the new truth");
        assertEquals("saa", seen.get("seats"));
        assertEquals("/api/events/12/stream?seats=A%3A1", seen.get("url"));
    }

    @Test
    void theBrowsersOwnRetryGetsOneChanceThenBackoffWithJitterTakesOver() {
        open();
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.executeAsyncScript(FAKE_EVENT_SOURCE + """
                const stream = window.client.openEventStream('/api', 12, {
                  EventSource: FakeEventSource, initialBackoffMs: 200, maxBackoffMs: 400, random: () => 0,
                  streamToken: async () => 'token-' + FakeEventSource.instances.length,
                });
                const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
                const until = async (what) => { for (let i = 0; i < 3000 && !what(); i++) await sleep(2); };
                await until(() => FakeEventSource.instances.length === 1);
                const first = FakeEventSource.instances[0];
                first.emit('open');
                first.readyState = 0;                       // dropped: the browser retries by itself
                first.emit('error');
                await sleep(150);
                const afterDrop = { sources: FakeEventSource.instances.length, state: stream.state };
                first.emit('error');                        // its retry failed too: the client takes over
                const tookOverAt = performance.now();
                await until(() => FakeEventSource.instances.length === 2);
                const firstDelay = performance.now() - tookOverAt;
                const second = FakeEventSource.instances[1];
                second.readyState = 2;                      // refused (429): EventSource gave up
                second.emit('error');
                const refusedAt = performance.now();
                await until(() => FakeEventSource.instances.length === 3);
                const secondDelay = performance.now() - refusedAt;
                const urls = FakeEventSource.instances.map((s) => s.url);
                stream.close();
                return { afterDrop, firstClosed: first.readyState === 2, firstDelay, secondDelay, urls };
                """ + FAKE_EVENT_SOURCE_END);
        assertEquals(Map.of("sources", 1L, "state", "reconnecting"), seen.get("afterDrop"));
        assertEquals(true, seen.get("firstClosed"));
        double firstDelay = ((Number) seen.get("firstDelay")).doubleValue();
        double secondDelay = ((Number) seen.get("secondDelay")).doubleValue();
        // random() = 0: half the ceiling, 200 ms × 2^attempt capped at 400 ms
        assertTrue(firstDelay >= 95 && firstDelay < 2_000, "first retry after " + firstDelay + " ms, expected 100");
        assertTrue(secondDelay >= 195 && secondDelay < 2_000, "second retry after " + secondDelay + " ms, expected 200");
        assertEquals(List.of("/api/events/12/stream?streamToken=token-0", "/api/events/12/stream?streamToken=token-1",
                "/api/events/12/stream?streamToken=token-2"), seen.get("urls"));
    }

    @Test
    void theMeStreamBringsABuyersReservationsAndASellersEventsWithAStreamToken() {
        String seller = api.demoToken(41, "seller");
        long eventId = api.createGala(seller);
        String buyer = api.demoToken(42, "buyer");
        open();
        browser.executeScript("""
                const tokenOf = (bearer) => () => fetch('/api/stream-tokens', { method: 'POST',
                    headers: { Authorization: 'Bearer ' + bearer, 'Content-Type': 'application/json' }, body: '{}' })
                  .then((r) => r.json()).then((body) => body.token);
                window.mine = { reservations: [], statistics: [] };
                window.buyerStream = window.client.openMeStream('/api', { streamToken: tokenOf(arguments[0]),
                  onReservation: (r) => window.mine.reservations.push(r.id + ':' + r.status) });
                window.sellerStream = window.client.openMeStream('/api', { streamToken: tokenOf(arguments[1]),
                  onStatistics: (s, { initial }) => window.mine.statistics.push(s.eventId + ':' + s.allocatedTickets + ':' + initial) });
                """, buyer, seller);
        waitUntil("both streams open", "return window.buyerStream.state === 'open' && window.sellerStream.state === 'open'");
        waitUntil("the seller's event", "return window.mine.statistics.length === 1");
        assertEquals(List.of(eventId + ":0:true"), browser.executeScript("return window.mine.statistics"));

        TestApi.Response held = api.post("/api/events/" + eventId + "/reservations", buyer,
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2}");
        assertEquals(201, held.status(), held::toString);
        String id = held.json().get("id").asText();
        waitUntil("the hold on both streams", "return window.mine.reservations.length === 1"
                + " && window.sellerStream.statistics.get(arguments[0]).allocatedTickets === 2", eventId);
        assertEquals(List.of(id + ":held"), browser.executeScript("return window.mine.reservations"));
        assertEquals(List.of(id), browser.executeScript("return [...window.buyerStream.holds.keys()]"), "the open holds");
        assertEquals(eventId + ":2:false", browser.executeScript("return window.mine.statistics.at(-1)"));
        browser.executeScript("window.buyerStream.close(); window.sellerStream.close();");
    }

    @Test
    void theMeStreamPassesReservationsOnAndKeepsOnlyTheNewestStatisticsPerEvent() {
        open();
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.executeAsyncScript(FAKE_EVENT_SOURCE + """
                const calls = [];
                const stream = window.client.openMeStream('/api/', {
                  EventSource: FakeEventSource, streamToken: 'st',
                  onReservation: (r) => calls.push('reservation ' + r.id + ' ' + r.status),
                  onReservationExpiring: (r) => calls.push('expiring ' + r.id),
                  onStatistics: (s, { initial }) => calls.push('statistics ' + s.eventId + ' v' + s.version + (initial ? ' initial' : '')),
                });
                await new Promise((resolve) => setTimeout(resolve, 0)); // connect() is async
                const source = FakeEventSource.instances[0];
                source.emit('open');
                source.emit('reservation', { id: 'r-1', status: 'held' });
                source.emit('reservation_expiring', { id: 'r-1', status: 'held' });
                source.emit('initial_status', { eventId: 12, version: 5 });
                source.emit('initial_status', { eventId: 13, version: 2 });
                source.emit('status_update', { eventId: 12, version: 4 }); // older than event 12's: ignored
                source.emit('status_update', { eventId: 13, version: 3 });
                source.emit('status_update', { eventId: 12, version: 6 });
                const versions = [stream.statistics.get(12).version, stream.statistics.get(13).version];
                stream.close();
                return { calls, versions, url: source.url };
                """ + FAKE_EVENT_SOURCE_END);
        assertEquals(List.of("reservation r-1 held", "expiring r-1", "statistics 12 v5 initial", "statistics 13 v2 initial",
                "statistics 13 v3", "statistics 12 v6"), seen.get("calls"));
        assertEquals(List.of(6L, 3L), seen.get("versions"));
        assertEquals("/api/me/stream?streamToken=st", seen.get("url"));
    }

    @Test
    void theEventsHelperKeepsEachEventsStatisticsAndNamedSeatMapsOnOneStream() {
        String seller = api.demoToken(3, "seller");
        long first = api.createGala(seller);
        long second = api.createGala(seller);
        open();
        browser.executeScript("""
                window.board = window.client.openEventsStream('/api', [arguments[0], arguments[1]], {
                  seats: [[arguments[0], 'A', 1]],
                });
                """, first, second);
        waitUntil("both events and the named seat map", "return window.board.statistics.size === 2"
                + " && window.board.seatMap(arguments[0], 'A', 1) !== undefined", first);

        String buyer = api.demoToken(8, "buyer");
        TestApi.Response inFirst = api.post("/api/events/" + first + "/reservations", buyer,
                "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 2, \"seat\": 5}]}");
        assertEquals(201, inFirst.status(), inFirst::toString);
        TestApi.Response inSecond = api.post("/api/events/" + second + "/reservations", buyer,
                "{\"section\": \"B\", \"subsection\": 1, \"quantity\": 3}");
        assertEquals(201, inSecond.status(), inSecond::toString);

        waitUntil("each event's own statistics", """
                const [a, b] = [window.board.statistics.get(arguments[0]), window.board.statistics.get(arguments[1])];
                return a.allocatedTickets === 1 && b.allocatedTickets === 3
                    && window.board.seatMap(arguments[0], 'A', 1).status(2, 5) === 'reserved';
                """, first, second);
        assertEquals(215L, browser.executeScript("return window.board.statistics.get(arguments[0]).remainingTickets", first));
        assertEquals(213L, browser.executeScript("return window.board.statistics.get(arguments[0]).remainingTickets", second));
        assertEquals(true, browser.executeScript("return window.board.seatMap(arguments[0], 'A', 1) === undefined", second),
                "only the named subsection's seats are kept");
        browser.executeScript("window.board.close()");
    }

    @Test
    void theEventsHelperDropsStaleUpdatesPerEventAndAResetStandsForTheWholeStream() {
        open();
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.executeAsyncScript(FAKE_EVENT_SOURCE + """
                const calls = [];
                const stream = window.client.openEventsStream('/api', ['12', 13], {
                  seats: [[12, 'A', 1], [13, 'B', 2]], EventSource: FakeEventSource,
                  onStatistics: (s, { initial }) => calls.push(s.eventId + ' v' + s.version + (initial ? ' initial' : '')),
                  onSeatChanges: (changes, map) => calls.push('seats ' + map.eventId + ' ' + changes.length),
                  onReset: (reason) => calls.push('reset ' + reason),
                });
                await new Promise((resolve) => setTimeout(resolve, 0)); // connect() is async
                const source = FakeEventSource.instances[0];
                source.emit('open');
                source.emit('initial_status', { eventId: 12, version: 5 });
                source.emit('initial_status', { eventId: 13, version: 2 });
                source.emit('seat_map', { eventId: 12, version: 5, section: 'A', subsection: 1, rows: 1, cols: 2, seats: 'aa' });
                source.emit('seat_map', { eventId: 13, version: 2, section: 'B', subsection: 2, rows: 1, cols: 2, seats: 'aa' });
                source.emit('status_update', { eventId: 12, version: 4 });  // older than event 12's: ignored
                source.emit('status_update', { eventId: 13, version: 3 });  // newer for event 13, though older than 12's
                source.emit('seat_changes', { eventId: 13, version: 3,
                    changes: [{ section: 'B', subsection: 2, row: 1, seat: 2, status: 'sold' }] });
                source.emit('seat_changes', { eventId: 12, version: 5,      // a version event 12's map has: ignored
                    changes: [{ section: 'A', subsection: 1, row: 1, seat: 1, status: 'sold' }] });
                const before = { versions: [stream.statistics.get(12).version, stream.statistics.get(13).version],
                    seats: [stream.seatMap(12, 'A', 1).toString(), stream.seatMap('13', 'B', 2).toString()] };
                source.emit('reset', { reason: 'epoch' });
                const afterReset = stream.statistics.size + stream.maps.size;
                source.emit('initial_status', { eventId: 13, version: 1 });
                const url = source.url;
                stream.close();
                return { calls, before, afterReset, url, after: stream.statistics.get(13).version };
                """ + FAKE_EVENT_SOURCE_END);
        assertEquals(List.of("12 v5 initial", "13 v2 initial", "13 v3", "seats 13 1", "reset epoch", "13 v1 initial"),
                seen.get("calls"));
        assertEquals(Map.of("versions", List.of(5L, 3L), "seats", List.of("aa", "as")), seen.get("before"));
        assertEquals(0L, seen.get("afterReset"), "a reset drops every event's statistics and seat maps");
        assertEquals(1L, seen.get("after"));
        assertEquals("/api/stream?events=12%2C13&seats=12%2FA%3A1%2C13%2FB%3A2", seen.get("url"));
    }

    @Test
    void theLobbyHelperFollowsEventsJoiningAndLeavingAndStartsOverOnEveryConnect() {
        open();
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.executeAsyncScript(FAKE_EVENT_SOURCE + """
                const calls = [];
                const stream = window.client.openLobbyStream('/api', {
                  EventSource: FakeEventSource,
                  onStatistics: (t, { initial }) => calls.push((initial ? 'join ' : 'update ') + t.eventId + ' v' + t.version),
                  onRemoved: (id) => calls.push('removed ' + id),
                  onReset: () => calls.push('reset'),
                });
                await new Promise((resolve) => setTimeout(resolve, 0)); // connect() is async
                const source = FakeEventSource.instances[0];
                source.emit('open');
                source.emit('initial_status', { eventId: 12, version: 5 });
                source.emit('initial_status', { eventId: 13, version: 2 });
                source.emit('status_update', { eventId: 12, version: 4 });  // older: ignored
                source.emit('status_update', { eventId: 12, version: 6 });
                source.emit('initial_status', { eventId: 14, version: 1 }); // joins
                source.emit('removed', { eventId: 13 });
                const before = [...stream.events.keys()];
                source.readyState = 0;                                    // dropped: the browser reconnects
                source.emit('error');
                source.emit('open');
                const afterReconnect = stream.events.size;
                source.emit('initial_status', { eventId: 14, version: 3 });
                const after = [...stream.events.keys()];
                stream.close();
                return { calls, before, afterReconnect, after, url: source.url };
                """ + FAKE_EVENT_SOURCE_END);
        assertEquals(List.of("join 12 v5", "join 13 v2", "update 12 v6", "join 14 v1", "removed 13", "reset",
                "join 14 v3"), seen.get("calls"));
        assertEquals(List.of(12L, 14L), seen.get("before"));
        assertEquals(0L, seen.get("afterReconnect"), "every connect starts with the full set");
        assertEquals(List.of(14L), seen.get("after"));
        assertEquals("/api/stream?all=true", seen.get("url"));
    }

    @Test
    void theLobbyHelperReconnectsWithBackoffAfterTheServerDroppedItsStream() throws Exception {
        ExampleServer first = PageUnderTest.startApp();
        int port = first.uri().getPort();
        ExampleServer second = null;
        try {
            TestApi firstApi = new TestApi(first.uri());
            long eventId = firstApi.createGala(firstApi.demoToken(3, "seller"));
            TestApi.Response held = firstApi.post("/api/events/" + eventId + "/reservations", firstApi.demoToken(8, "buyer"),
                    "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 5}");
            assertEquals(201, held.status(), held::toString);
            open(first);
            browser.executeScript("""
                    window.lobbySeen = { states: [], resets: 0 };
                    window.lobby = window.client.openLobbyStream('/api', {
                      initialBackoffMs: 100, maxBackoffMs: 500,
                      onStateChange: (state) => window.lobbySeen.states.push(state),
                      onReset: () => window.lobbySeen.resets++,
                    });
                    """);
            waitUntil("the first server's event", "return window.lobby.state === 'open' && window.lobby.events.size === 1"
                    + " && window.lobby.events.get(arguments[0]).remainingTickets === 211", eventId);

            first.close(); // ends every stream, then stops listening
            waitUntil("the dropped stream", "return window.lobby.state === 'reconnecting'");
            // another server on the same address, with other events (its store starts empty: ids start over)
            second = ExampleServer.start(ExampleConfig.parse(
                    List.of("--host", "127.0.0.1", "--port", String.valueOf(port)), Map.of()));
            TestApi secondApi = new TestApi(second.uri());
            String seller = secondApi.demoToken(3, "seller");
            assertEquals(eventId, secondApi.createGala(seller));
            long other = secondApi.createGala(seller);
            waitUntil("the second server's events", "return window.lobby.state === 'open' && window.lobby.events.size === 2"
                    + " && window.lobby.events.get(arguments[0]).remainingTickets === 216"
                    + " && window.lobby.events.has(arguments[1])", eventId, other);
            assertEquals(1L, browser.executeScript("return window.lobbySeen.resets"), "the set started over once");
            assertEquals(List.of("connecting", "open", "reconnecting", "open"),
                    browser.executeScript("return window.lobbySeen.states"));
            assertEquals(0L, browser.executeScript("return window.lobby.attempt"), "an open stream starts the backoff over");
            browser.executeScript("window.lobby.close()");
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void theMeHelperKeepsTheOpenHoldsAndDropsThoseThatEndedWhileNoStreamWasOpen() {
        open();
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.executeAsyncScript(FAKE_EVENT_SOURCE + """
                let answer;
                const asked = [];
                const dropped = [];
                const stream = window.client.openMeStream('/api', {
                  EventSource: FakeEventSource, streamToken: 'st',
                  heldReservations: () => { asked.push(stream.holds.size); return new Promise((resolve) => { answer = resolve; }); },
                  onHoldDropped: (r) => dropped.push(r.id),
                });
                await new Promise((resolve) => setTimeout(resolve, 0)); // connect() is async
                const source = FakeEventSource.instances[0];
                const hold = (id, status) => ({ id, status, expiresAt: '2030-01-01T00:00:00Z' });
                source.emit('open');
                source.emit('reservation', hold('r-1', 'held'));
                source.emit('reservation', hold('r-2', 'held'));
                source.emit('reservation', hold('r-4', 'held'));
                source.emit('reservation_expiring', hold('r-1', 'held'));
                source.emit('reservation', hold('r-2', 'confirmed'));
                const before = { ids: [...stream.holds.keys()], expiring: stream.holds.get('r-1').expiring,
                    expiresAt: stream.holds.get('r-1').expiresAt, firstAsked: asked.length };
                source.readyState = 0;                                    // dropped: the browser reconnects
                source.emit('error');
                source.emit('open');                                      // the list is asked for
                source.emit('reservation', hold('r-4', 'held'));         // still held when the stream read it
                source.emit('reservation', hold('r-5', 'held'));         // made meanwhile
                answer([hold('r-5', 'held')]);                            // r-4 ended after the stream read it
                await new Promise((resolve) => setTimeout(resolve, 0));
                const after = [...stream.holds.keys()].sort();
                stream.close();
                return { before, asked, dropped, after };
                """ + FAKE_EVENT_SOURCE_END);
        assertEquals(Map.of("ids", List.of("r-1", "r-4"), "expiring", true, "expiresAt", 1_893_456_000_000L,
                "firstAsked", 0L), seen.get("before"));
        assertEquals(List.of(2L), seen.get("asked"), "asked once, on the reconnect");
        assertEquals(List.of("r-1"), seen.get("dropped"), "only what the list lacks and the stream did not speak of since");
        assertEquals(List.of("r-4", "r-5"), seen.get("after"));
    }

    /** An async script body: a scripted EventSource, then the test's statements returning a result. */
    private static final String FAKE_EVENT_SOURCE = """
            const done = arguments[arguments.length - 1];
            (async () => {
              class FakeEventSource {
                static CLOSED = 2;
                static instances = [];
                constructor(url) { this.url = url; this.readyState = 0; this.listeners = {}; FakeEventSource.instances.push(this); }
                addEventListener(type, f) { (this.listeners[type] = this.listeners[type] || []).push(f); }
                close() { this.readyState = 2; }
                emit(type, data) {
                  if (type === 'open') this.readyState = 1;
                  const event = { data: data === undefined ? '' : JSON.stringify(data) };
                  (this.listeners[type] || []).forEach((f) => f(event));
                }
              }
            """;
    private static final String FAKE_EVENT_SOURCE_END = """
            })().then(done, (e) => done({ error: String(e && e.stack || e) }));
            """;

    private void open() {
        open(page.app());
    }

    /** A page of {@code server}'s origin with the client imported as {@code window.client}. */
    private void open(ExampleServer server) {
        browser.get(server.uri().resolve("/health").toString());
        browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/api/ticketing-client.js').then((m) => { window.client = m; done(true); },
                    (e) => done(String(e)));
                """);
        assertEquals(Boolean.TRUE, browser.executeScript("return window.client !== undefined"));
    }

    private void waitUntil(String what, String script, Object... args) {
        page.waitUpTo(PATIENCE).withMessage(what)
                .until(d -> Boolean.TRUE.equals(browser.executeScript(script, args)));
    }
}
