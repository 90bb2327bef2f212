package io.ticketing.servlet;

import static io.ticketing.servlet.testing.TestPrincipals.bearer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.testing.Drafts;
import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.RawHttpConnection;
import io.ticketing.servlet.testing.TestPrincipals;
import io.ticketing.servlet.testing.TestServer;
import io.ticketing.servlet.testing.TomcatTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random requests — methods, paths, query strings, headers and bodies, valid and not — against Jetty and
 * Tomcat: none gets a 5xx, every error is JSON (but for {@code HEAD}, which has no body), and one that gets a
 * 4xx changes nothing in the store.
 */
class RestApiPropertiesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final User SELLER = User.seller(3);
    private static final User BUYER = User.buyer(7);

    private static InMemoryTicketStore store;
    private static Ticketing ticketing;
    private static List<TestServer> servers;
    private static long eventId;
    /** Every reservation made so far, by the tries too, so that their state is compared. */
    private static final Set<String> RESERVATIONS = ConcurrentHashMap.newKeySet();

    /** One request as it goes on the wire. */
    record RawRequest(int server, String method, String path, String headers, String body) {
        String wire() {
            String head = method + " " + path + " HTTP/1.1" + headers;
            // RawHttpConnection sends one byte per char
            return body == null ? head : head + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        }
    }

    /** What a request could change: every event, its statistics and every known reservation. */
    record State(List<Event> events, Map<Long, EventStatistics> statistics, List<Reservation> reservations) {
        static State now() {
            List<Event> events = store.listEvents(new EventQuery(null, false, Long.MAX_VALUE, 10_000));
            List<Reservation> held = new ArrayList<>();
            for (String id : RESERVATIONS) {
                store.findReservation(id).ifPresent(held::add);
            }
            return new State(events, store.summaries(events.stream().map(Event::id).toList()), held);
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        store = new InMemoryTicketStore();
        ticketing = Ticketing.builder().store(store).build();
        eventId = ticketing.events().create(SELLER, Drafts.gala()).id();
        RESERVATIONS.add(ticketing.reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 2), null, BUYER)
                .reservation().id());
        servers = List.of(
                JettyTestServer.start(TicketingHttp.builder(ticketing).principalResolver(TestPrincipals.resolver()).build()),
                TomcatTestServer.start(TicketingHttp.builder(ticketing).principalResolver(TestPrincipals.resolver()).build()));
    }

    @AfterContainer
    static void stop() {
        servers.forEach(TestServer::close);
        ticketing.close();
    }

    @Property(tries = 400)
    void noRequestGetsA5xxAndA4xxChangesNothing(@ForAll("requests") RawRequest request) throws Exception {
        State before = State.now();
        String response = RawHttpConnection.exchange(servers.get(request.server()).api(), request.wire());
        int status = Integer.parseInt(response.substring(9, 12));
        if (status >= 500) {
            throw new AssertionError(request.wire() + "\n->\n" + response);
        }
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        if (status >= 400) {
            JsonNode error = request.method().equals("HEAD") ? null : JSON.readTree(body).get("error");
            if (!request.method().equals("HEAD") && (error == null || error.get("status").asInt() != status)) {
                throw new AssertionError("not a JSON error: " + request.wire() + "\n->\n" + response);
            }
            State after = State.now();
            if (!after.equals(before)) {
                throw new AssertionError("a " + status + " changed the store: " + request.wire() + "\nbefore " + before
                        + "\nafter " + after);
            }
        } else if (request.path().contains("/reservations") && request.method().equals("POST") && !body.isEmpty()) {
            JsonNode id = JSON.readTree(body).get("id");
            if (id != null && id.isTextual()) {
                RESERVATIONS.add(id.asText());
            }
        }
    }

    @Provide
    Arbitrary<RawRequest> requests() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS");
        Arbitrary<String> path = Combinators.combine(pathTemplate(), id(), reservationId(), segment(), query())
                .as((template, id, rid, segment, query) -> "/api" + template.replace("{id}", id).replace("{rid}", rid)
                        .replace("{s}", segment) + query);
        Arbitrary<String> headers = Combinators.combine(authorization(), contentType(), extraHeader())
                .as((auth, type, extra) -> auth + type + extra);
        return Combinators.combine(Arbitraries.integers().between(0, 1), method, path, headers, body())
                .as(RawRequest::new)
                .filter(r -> !(r.path().contains("/stream") && !r.path().contains("/stream/stats")
                        && (r.method().equals("GET") || r.method().equals("HEAD"))));
    }

    private static Arbitrary<String> pathTemplate() {
        return Arbitraries.of("/events", "/events/{id}", "/events/{id}/reservations",
                "/events/{id}/sections/{s}/subsections/{id}/seats", "/events/{id}/sections/A/subsections/1/seats",
                "/reservations/{rid}", "/reservations/{rid}/confirm", "/reservations/{rid}/cancel",
                "/events/{id}/stream", "/stream/stats", "/{s}", "/events/{id}/{s}", "", "/");
    }

    private static Arbitrary<String> id() {
        return Arbitraries.oneOf(Arbitraries.just(Long.toString(eventId)),
                Arbitraries.of("0", "-1", "99999999999999999999", "1.5", "abc", "%20", "%zz", "%00", "%C3%28", "%2F"),
                Arbitraries.longs().between(1, 50).map(Object::toString));
    }

    private static Arbitrary<String> reservationId() {
        return Arbitraries.oneOf(Arbitraries.of(RESERVATIONS.toArray(String[]::new)),
                Arbitraries.of("r-nope", "%00", "%zz", "r-%FF", "x".repeat(300)));
    }

    private static Arbitrary<String> segment() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(8),
                // no "..": /api/.. is a path of the host, outside the API (Jetty's servlets answer PATCH there 501)
                Arbitraries.of("A", "B", "%41", "%2e%2e", ".", "%", "%u0041", "a;b", "%E2%82%AC"));
    }

    private static Arbitrary<String> query() {
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of("limit", "cursor", "sellerId", "x", "limit"),
                Arbitraries.of("1", "200", "201", "0", "-5", "abc", "", "%zz", "%", "%C3%28", "YmVmb3JlOjE", "3", "1e2"))
                .as((name, value) -> name + "=" + value);
        return pair.list().ofMaxSize(3).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    private static Arbitrary<String> authorization() {
        return Arbitraries.of("", "\r\nAuthorization: " + bearer(SELLER), "\r\nAuthorization: " + bearer(BUYER),
                "\r\nAuthorization: " + bearer(User.buyer(8)), "\r\nAuthorization: " + bearer(User.seller(4)),
                "\r\nAuthorization: Bearer nonsense", "\r\nAuthorization: Basic Zm9vOmJhcg==");
    }

    private static Arbitrary<String> contentType() {
        return Arbitraries.of("", "\r\nContent-Type: application/json", "\r\nContent-Type: application/json; charset=utf-8",
                "\r\nContent-Type: text/plain", "\r\nContent-Type: application/problem+json", "\r\nContent-Type: ;;");
    }

    private static Arbitrary<String> extraHeader() {
        return Arbitraries.of("", "\r\nIdempotency-Key: k-1", "\r\nIdempotency-Key: " + "k".repeat(101),
                "\r\nIdempotency-Key: ", "\r\nLast-Event-ID: 12", "\r\nAccept: text/html", "\r\nX-Forwarded-For: 1.2.3.4");
    }

    private static Arbitrary<String> body() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("null", "true", "0", "-1", "1.5", "1e400",
                        "99999999999999999999", "\"\"", "\"A\"", "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "[1]", "\"draft\"",
                        "\"available\"", "\"ended\"", "1000000001", "50", "2"),
                Arbitraries.strings().alpha().ofMaxLength(5).map(s -> "\"" + s + "\""));
        Arbitrary<String> field = Arbitraries.of("name", "description", "venueName", "status", "active", "seatingConfig",
                "rows", "cols", "sections", "price", "subsections", "seats", "section", "subsection", "quantity",
                "row", "seat", "paymentReference", "unknown");
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(VALID_BODIES), field, value)
                .as((valid, name, v) -> valid.replaceFirst("\"" + name + "\": [^,}\\]]+", "\"" + name + "\": " + v));
        Arbitrary<String> object = Combinators.combine(field, value).as((name, v) -> "{\"" + name + "\": " + v + "}");
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of(VALID_BODIES), mutated, object,
                Arbitraries.of("", "{", "[]", "null", "{}{}", "\"x\"", "{\"a\":1,}", "\u00ff\u00fe"));
    }

    private static final String[] VALID_BODIES = {
            "{\"name\": \"Gala\", \"description\": \"d\", \"venueName\": \"v\", \"status\": \"available\", "
                    + "\"seatingConfig\": {\"rows\": 2, \"cols\": 3, \"sections\": [{\"name\": \"A\", \"price\": 100, \"subsections\": 1}]}}",
            "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2}",
            "{\"seats\": [{\"section\": \"B\", \"subsection\": 1, \"row\": 1, \"seat\": 1}]}",
            "{\"paymentReference\": \"pay-1\"}",
            "{\"status\": \"ended\"}",
            "{\"active\": false}",
            "{}",
    };
}
