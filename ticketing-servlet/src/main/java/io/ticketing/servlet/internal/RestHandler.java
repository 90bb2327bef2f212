package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.EventService;
import io.ticketing.core.Ticketing;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventPage;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.ReservationResult;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.User;
import io.ticketing.servlet.Credential;
import io.ticketing.servlet.PrincipalResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Serves the REST paths of {@code api.md} on the container's thread, answering every failure as JSON. */
public final class RestHandler {
    private final Ticketing ticketing;
    private final PrincipalResolver principals;
    private final JsonBodies bodies;
    private final JsonResponses responses;
    private final StreamTokens tokens;

    public RestHandler(Ticketing ticketing, PrincipalResolver principals, ObjectMapper mapper, HttpLimits limits,
                       StreamTokens tokens) {
        this.ticketing = ticketing;
        this.tokens = tokens;
        this.principals = principals;
        this.bodies = new JsonBodies(mapper, limits.maxRequestBodyBytes());
        this.responses = new JsonResponses(mapper, limits);
    }

    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            route(request, response, ApiPath.of(request.getPathInfo()), QueryParameters.of(request));
        } catch (RuntimeException e) {
            responses.error(request, response, e);
        }
    }

    /** Answers {@code 405} with {@code Allow: allow}, for a path of the mount that this handler does not serve. */
    public void refuseMethod(HttpServletRequest request, HttpServletResponse response, String allow) throws IOException {
        responses.error(request, response, ApiException.methodNotAllowed(request.getMethod(), allow));
    }

    private void route(HttpServletRequest request, HttpServletResponse response, ApiPath path, QueryParameters query)
            throws IOException {
        String method = request.getMethod();
        if (path.matches("events")) {
            switch (allow(method, "GET", "POST")) {
                case "GET" -> listEvents(request, response, query);
                default -> createEvent(request, response);
            }
        } else if (path.matches("events", null)) {
            long id = path.id(1);
            switch (allow(method, "GET", "PATCH")) {
                case "GET" -> getEvent(request, response, id);
                default -> updateEvent(request, response, id);
            }
        } else if (path.matches("events", null, "reservations")) {
            long id = path.id(1);
            allow(method, "POST");
            reserve(request, response, id);
        } else if (path.matches("events", null, "changes")) {
            long id = path.id(1);
            allow(method, "GET");
            changes(request, response, id, query);
        } else if (path.matches("events", null, "sections", null, "subsections", null, "seats")) {
            long id = path.id(1);
            int subsection = path.number(5);
            allow(method, "GET");
            responses.write(response, 200, ticketing.events().seats(id, path.segment(3), subsection, user(request)));
        } else if (path.matches("stream-tokens")) {
            allow(method, "POST");
            issueStreamToken(request, response);
        } else if (path.matches("me", "reservations")) {
            allow(method, "GET");
            listOwnReservations(request, response, query);
        } else if (path.matches("reservations", null)) {
            allow(method, "GET");
            responses.write(response, 200, ticketing.reservations().get(path.segment(1), user(request)));
        } else if (path.matches("reservations", null, "confirm")) {
            allow(method, "POST");
            ConfirmBody body = bodies.read(request, ConfirmBody.class, false);
            Reservation confirmed = ticketing.reservations().confirm(path.segment(1),
                    body == null ? null : body.paymentReference(), user(request));
            responses.write(response, 200, confirmed);
        } else if (path.matches("reservations", null, "cancel")) {
            allow(method, "POST");
            bodies.read(request, EmptyBody.class, false);
            responses.write(response, 200, ticketing.reservations().cancel(path.segment(1), user(request)));
        } else {
            throw ApiException.notFound(path.raw());
        }
    }

    /**
     * Returns {@code method} if it is one of {@code allowed}, {@code GET} for a {@code HEAD} where GET is
     * allowed (the container sends the head without the body); else a 405 listing them.
     */
    private static String allow(String method, String... allowed) {
        String asked = "HEAD".equals(method) ? "GET" : method;
        for (String candidate : allowed) {
            if (candidate.equals(asked)) {
                return asked;
            }
        }
        throw ApiException.methodNotAllowed(method, String.join(", ", allowed));
    }

    private void listEvents(HttpServletRequest request, HttpServletResponse response, QueryParameters query)
            throws IOException {
        User viewer = user(request);
        Long sellerId = query.get("sellerId") == null ? null : positiveLong("sellerId", query.get("sellerId"));
        int limit = query.get("limit") == null ? EventService.DEFAULT_PAGE_SIZE : limit(query.get("limit"));
        String cursor = query.get("cursor");
        EventPage page = ticketing.events().list(sellerId, viewer, limit, cursor == null || cursor.isEmpty() ? null : cursor);
        Map<Long, EventStatistics> statistics = ticketing.statistics().summaries(page.items());
        List<EventBody> items = page.items().stream()
                .filter(e -> statistics.containsKey(e.id())) // not one deleted since the page was read
                .map(e -> EventBody.of(e, statistics.get(e.id())))
                .toList();
        responses.write(response, 200, new EventListBody(items, page.nextCursor()));
    }

    /** A stream token for the caller's credential, never cached: {@code 201} or {@code 401}. */
    private void issueStreamToken(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Credential credential = principals.authenticate(request).orElseThrow(() -> ApiException.of(
                ErrorCode.UNAUTHORIZED, "sign in to get a stream token"));
        bodies.read(request, EmptyBody.class, false);
        response.setHeader("Cache-Control", "no-store");
        responses.write(response, 201, tokens.issue(credential));
    }

    private void listOwnReservations(HttpServletRequest request, HttpServletResponse response, QueryParameters query)
            throws IOException {
        User buyer = user(request);
        Long eventId = query.get("eventId") == null ? null : positiveLong("eventId", query.get("eventId"));
        ReservationStatus status = query.get("status") == null ? null : reservationStatus(query.get("status"));
        int limit = query.get("limit") == null ? EventService.DEFAULT_PAGE_SIZE : limit(query.get("limit"));
        String cursor = query.get("cursor");
        responses.write(response, 200, ticketing.reservations().listOwn(buyer, eventId, status, limit,
                cursor == null || cursor.isEmpty() ? null : cursor));
    }

    private static ReservationStatus reservationStatus(String text) {
        for (ReservationStatus status : ReservationStatus.values()) {
            if (status.wireName().equals(text)) {
                return status;
            }
        }
        throw ApiException.validation("status", "status must be one of held, confirmed, cancelled, expired");
    }

    private void createEvent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        User seller = user(request);
        EventDraft draft = bodies.read(request, EventDraft.class, true);
        Event event = ticketing.events().create(seller, draft);
        response.setHeader("Location", mount(request) + "/events/" + event.id());
        responses.write(response, 201, EventBody.of(event, ticketing.statistics().current(event.id(), seller)));
    }

    private void getEvent(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
        User viewer = user(request);
        Event event = ticketing.events().get(id, viewer);
        responses.write(response, 200, EventBody.of(event, ticketing.statistics().current(id, viewer)));
    }

    private void updateEvent(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
        User seller = user(request);
        EventPatch patch = bodies.read(request, EventPatch.class, true);
        Event event = ticketing.events().update(id, patch, seller);
        responses.write(response, 200, EventBody.of(event, ticketing.statistics().current(id, seller)));
    }

    private void changes(HttpServletRequest request, HttpServletResponse response, long eventId, QueryParameters query)
            throws IOException {
        User seller = user(request);
        long since = query.get("since") == null ? 0 : nonNegativeLong("since", query.get("since"));
        int limit = query.get("limit") == null ? EventService.DEFAULT_CHANGES_PAGE_SIZE
                : intBetween("limit", query.get("limit"), 1, EventService.MAX_CHANGES_PAGE_SIZE);
        responses.write(response, 200, ticketing.events().changes(eventId, since, limit, seller));
    }

    private void reserve(HttpServletRequest request, HttpServletResponse response, long eventId) throws IOException {
        User buyer = user(request);
        ReservationRequest body = bodies.read(request, ReservationBody.class, true).request();
        ReservationResult result = ticketing.reservations().reserve(eventId, body,
                request.getHeader("Idempotency-Key"), buyer);
        Reservation reservation = result.reservation();
        response.setHeader("Location", mount(request) + "/reservations/" + reservation.id());
        responses.write(response, result.created() ? 201 : 200, reservation);
    }

    private User user(HttpServletRequest request) {
        return principals.resolve(request).orElse(null);
    }

    private static String mount(HttpServletRequest request) {
        return request.getContextPath() + request.getServletPath();
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= EventService.MAX_PAGE_SIZE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the validation error
        }
        throw ApiException.validation("limit", "limit must be an integer between 1 and " + EventService.MAX_PAGE_SIZE);
    }

    private static long nonNegativeLong(String name, String text) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the validation error
        }
        throw ApiException.validation(name, name + " must be an integer >= 0");
    }

    private static int intBetween(String name, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the validation error
        }
        throw ApiException.validation(name, name + " must be an integer between " + min + " and " + max);
    }

    private static long positiveLong(String name, String text) {
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the validation error
        }
        throw ApiException.validation(name, name + " must be a positive integer");
    }

    /** The optional body of {@code POST /reservations/{id}/confirm}. */
    record ConfirmBody(String paymentReference) {
    }

    /** The optional body of {@code POST /reservations/{id}/cancel}: an empty object. */
    record EmptyBody() {
    }
}
