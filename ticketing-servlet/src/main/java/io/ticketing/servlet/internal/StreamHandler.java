package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.User;
import io.ticketing.servlet.Credential;
import io.ticketing.servlet.PrincipalResolver;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the SSE streams ({@code GET /events/{id}/stream}, {@code GET /stream?events=}, {@code GET /stream?all=true},
 * {@code GET /me/stream})
 * and {@code GET /stream/stats}.
 */
public final class StreamHandler {
    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);
    private static final int STREAM_BUFFER_BYTES = 2048;
    private static final String EVENTS = "/events/";
    private static final String STREAM = "/stream";
    private static final String ME_STREAM = "/me/stream";

    private final Ticketing ticketing;
    private final PrincipalResolver principals;
    private final StreamHub hub;
    private final JsonResponses responses;
    private final ClientAddresses clientAddresses;
    private final StreamTokens tokens;
    private final ObjectMapper mapper;
    private final Duration expiringLead;
    private final Lobby lobby;
    private final int maxTopics;

    public StreamHandler(Ticketing ticketing, PrincipalResolver principals, ObjectMapper mapper, StreamHub hub,
                         HttpLimits limits, ClientAddresses clientAddresses, StreamTokens tokens) {
        this.ticketing = ticketing;
        this.mapper = mapper;
        this.expiringLead = limits.reservationExpiringLead();
        this.maxTopics = limits.maxTopicsPerStream();
        this.tokens = tokens;
        this.principals = principals;
        this.hub = hub;
        this.clientAddresses = clientAddresses;
        this.responses = new JsonResponses(mapper, limits);
        this.lobby = new Lobby(ticketing, mapper, hub, Lobby.INTERVAL, Lobby.KEPT_BATCHES);
    }

    /** Whether a path relative to the mount is one this handler serves. */
    public static boolean isStreamPath(String pathInfo) {
        // the same test as ApiPath's matches("stream", "stats") or matches("events", null, "stream"), without
        // splitting the path: every REST request asks it
        if (pathInfo == null) {
            return false;
        }
        return pathInfo.equals("/stream/stats") || pathInfo.equals(ME_STREAM) || pathInfo.equals(STREAM)
                || pathInfo.startsWith(EVENTS) && pathInfo.endsWith(STREAM)
                && pathInfo.indexOf('/', EVENTS.length()) == pathInfo.length() - STREAM.length();
    }

    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            ApiPath path = ApiPath.of(request.getPathInfo());
            QueryParameters query = QueryParameters.of(request); // also refuses what getParameter would fail on
            boolean stats = path.matches("stream", "stats");
            boolean own = path.matches("me", "stream");
            boolean all = path.matches("stream") && query.get("all") != null;
            boolean many = path.matches("stream") && !all;
            if (!stats && !own && !many && !all && !path.matches("events", null, "stream")) {
                throw ApiException.notFound(path.raw());
            }
            if (!"GET".equals(request.getMethod())) {
                throw ApiException.methodNotAllowed(request.getMethod(), "GET");
            }
            if (stats) {
                responses.write(response, 200, hub.statistics());
            } else if (own) {
                openOwn(request, response, query);
            } else if (all) {
                openLobby(request, response, query);
            } else if (many) {
                openMany(request, response, query);
            } else {
                open(request, response, path.id(1), query);
            }
        } catch (RuntimeException e) {
            responses.error(request, response, e);
        }
    }

    private void open(HttpServletRequest request, HttpServletResponse response, long eventId, QueryParameters query)
            throws IOException {
        ensureOpen();
        Credential credential = credential(request, query);
        User viewer = credential == null ? null : credential.user();
        // 404 for unknown events and drafts the viewer may not see, then 400 for a bad ?seats=
        Event event = ticketing.events().get(eventId, viewer);
        List<SubsectionKey> seats = SubsectionKey.parseAll(query.get("seats"), event.seatingConfig());
        openEvents(request, response, List.of(new StreamedEvent(eventId, seats)), false, credential);
    }

    /**
     * Opens {@code GET /stream?events=…}: {@code 400} for a bad list (field {@code events}) or seat items
     * (field {@code seats}), {@code 404} for an unknown event or a draft the viewer may not see.
     */
    private void openMany(HttpServletRequest request, HttpServletResponse response, QueryParameters query)
            throws IOException {
        ensureOpen();
        EventsQuery parsed = EventsQuery.parse(query.get("events"), query.get("seats"));
        Credential credential = credential(request, query);
        User viewer = credential == null ? null : credential.user();
        Map<Long, Event> events = new HashMap<>();
        for (long id : parsed.events()) {
            events.put(id, ticketing.events().get(id, viewer));
        }
        openEvents(request, response, parsed.resolve(id -> events.get(id).seatingConfig()), true, credential);
    }

    private void ensureOpen() {
        if (hub.isShutdown()) {
            throw ApiException.of(ErrorCode.UNAVAILABLE, "this server is shutting down; reconnect in a moment");
        }
    }

    /**
     * Opens a stream of {@code events} ({@code withCursor}: one id cursor for all, as {@code GET /stream}
     * names them): {@code 429} beyond the topic cap or a stream cap, else {@code 200} and the stream.
     */
    private void openEvents(HttpServletRequest request, HttpServletResponse response, List<StreamedEvent> events,
                            boolean withCursor, Credential credential) throws IOException {
        int topics = events.stream().mapToInt(StreamedEvent::topics).sum();
        if (topics > maxTopics) {
            throw ApiException.of(ErrorCode.TOO_MANY_TOPICS, "this stream has " + topics + " topics (events and "
                    + "named subsections); this server allows at most " + maxTopics + " per stream: split it in two");
        }
        User viewer = credential == null ? null : credential.user();
        StreamOwner owner = owner(request, credential);
        admit(owner);
        SseConnection connection;
        try {
            ServletOutputStream out = startStream(response);
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            connection = new SseConnection(hub, events, withCursor, owner, async, out);
            async.addListener(connection);
        } catch (IOException | RuntimeException e) {
            hub.release(owner);
            throw e;
        }
        try {
            List<EventDispatcher> dispatchers = hub.attach(connection);
            String lastEventId = request.getHeader("Last-Event-ID");
            long[] cursor = withCursor && lastEventId != null
                    ? StreamCursor.parse(lastEventId, events.size(), hub.ids().epoch()) : null;
            StreamResume reset = withCursor && lastEventId != null && cursor == null
                    ? StreamResume.reset("the last event id is not a cursor this server's store could have sent "
                    + "for these events") : null;
            List<EncodedUpdate> starts = new ArrayList<>(events.size());
            List<StreamResume> resumes = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                StreamedEvent streamed = events.get(i);
                long eventId = streamed.eventId();
                EventStatistics current = ticketing.statistics().current(eventId, viewer);
                EncodedUpdate update = dispatchers.get(i).encodeCurrent(current);
                StreamResume.ChangeSource store = (since, limit) -> ticketing.statistics().changes(eventId, since, limit);
                StreamResume.ChangeSource shared = (since, limit) -> hub.changeReads().read(eventId, since, limit, store);
                StreamResume resume;
                if (!withCursor) {
                    resume = StreamResume.decide(lastEventId, update.version(), current.version(), streamed.seats(),
                            hub.ids(), shared, mapper);
                } else if (cursor == null || cursor[i] < 0 || reset != null) {
                    resume = StreamResume.FRESH;
                } else {
                    resume = StreamResume.decide(cursor[i], update.version(), current.version(), streamed.seats(),
                            shared, mapper);
                }
                if (resume.isReset() && reset == null) {
                    reset = resume; // a reset stands for the whole stream
                }
                starts.add(update);
                resumes.add(resume);
            }
            List<Long> has = new ArrayList<>(events.size());
            EventSubscription[] subscriptions = connection.subscriptions();
            for (int i = 0; i < subscriptions.length; i++) {
                has.add(subscriptions[i].start(starts.get(i), reset != null ? StreamResume.FRESH : resumes.get(i)));
            }
            byte[] preamble = (reset != null ? reset : StreamResume.FRESH).preamble(hub.retryFrame(), mapper);
            connection.start(preamble, has);
        } catch (RuntimeException e) {
            log.debug("Stream of events {} could not start", events, e);
            responses.error(request, response, e);
            connection.closeNow();
        }
    }

    /**
     * Opens {@code GET /me/stream} for the authenticated user: {@code 401} without one; {@code 503} if the
     * current state (a buyer's holds, a seller's events) cannot be read, before anything of the stream is sent.
     */
    private void openOwn(HttpServletRequest request, HttpServletResponse response, QueryParameters query)
            throws IOException {
        ensureOpen();
        Credential credential = credential(request, query);
        if (credential == null) {
            throw ApiException.of(ErrorCode.UNAUTHORIZED, "sign in (or use a stream token) to open your own stream");
        }
        try {
            ticketing.statistics().subscribe(credential.user(), update -> { }).close();
        } catch (UnsupportedOperationException e) {
            throw ApiException.of(ErrorCode.UNAVAILABLE, "this server's broadcaster does not carry users' updates");
        }
        StreamOwner owner = owner(request, credential);
        admit(owner);
        UserStream stream = begin(request, response, owner,
                (async, out) -> new UserStream(hub, owner, async, out, hub.retryFrame()), UserStream::stream);
        try {
            // reads the holds or events while nothing is written yet: a store that fails is a 503, not an empty 200
            new UserFeed(ticketing, mapper, hub, stream, expiringLead).open();
        } catch (RuntimeException e) {
            log.debug("The stream of user {} could not start", owner.user().id(), e);
            responses.error(request, response, e);
            stream.closeNow();
            return;
        }
        stream.start();
    }

    /**
     * Opens {@code GET /stream?all=true} for anyone: {@code 400} for another {@code all} or one combined with
     * {@code events} or {@code seats}, {@code 503} if the broadcaster does not carry all events' updates.
     */
    private void openLobby(HttpServletRequest request, HttpServletResponse response, QueryParameters query)
            throws IOException {
        if (!"true".equals(query.get("all")) || query.get("events") != null || query.get("seats") != null) {
            throw ApiException.validation("all", "all must be true, and not combined with events or seats");
        }
        ensureOpen();
        StreamOwner owner = owner(request, credential(request, query));
        try {
            lobby.open();
        } catch (UnsupportedOperationException e) {
            throw ApiException.of(ErrorCode.UNAVAILABLE, "this server's broadcaster does not carry all events' updates");
        }
        admit(owner);
        LobbyStream stream = begin(request, response, owner, (async, out) -> new LobbyStream(hub, lobby, owner, async, out),
                LobbyStream::stream);
        try {
            stream.start(hub.retryFrame());
        } catch (RuntimeException e) {
            log.warn("A lobby stream could not start", e);
            stream.stream().closeNow();
        }
    }

    private StreamOwner owner(HttpServletRequest request, Credential credential) {
        return new StreamOwner(clientAddresses.of(request), credential == null ? null : credential.user(),
                credential == null ? null : credential.expiresAt());
    }

    /** Takes a stream slot for {@code owner}, or answers {@code 429}. */
    private void admit(StreamOwner owner) {
        if (!hub.tryAdmit(owner)) {
            throw ApiException.of(ErrorCode.TOO_MANY_CONNECTIONS, "too many open streams on this server, from this "
                    + "address or for this user; close one or retry later");
        }
    }

    /**
     * Starts the admitted {@code owner}'s response and makes its stream with {@code make}, registered with the
     * container and the hub; gives the slot back if that fails.
     */
    private <T> T begin(HttpServletRequest request, HttpServletResponse response, StreamOwner owner,
                        BiFunction<AsyncContext, ServletOutputStream, T> make, Function<T, SseStream> stream)
            throws IOException {
        T made;
        try {
            ServletOutputStream out = startStream(response);
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            made = make.apply(async, out);
            async.addListener(stream.apply(made));
        } catch (IOException | RuntimeException e) {
            hub.release(owner);
            throw e;
        }
        hub.attach(stream.apply(made));
        return made;
    }

    /** Sets the headers of a stream's {@code 200} and returns its output. */
    private static ServletOutputStream startStream(HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        ServletOutputStream out = response.getOutputStream();
        if (FrameOutput.of(out).buffered()) {
            // A small response buffer: every frame is flushed at once anyway, and a container may hold
            // the buffer for the stream's whole life.
            response.setBufferSize(STREAM_BUFFER_BYTES);
        }
        return out;
    }

    /**
     * The stream's credential: the one its {@code ?streamToken=} was issued for, if it has one ({@code 401}
     * if that token is not valid now), else what the {@code PrincipalResolver} authenticates; null if none.
     */
    private Credential credential(HttpServletRequest request, QueryParameters query) {
        String token = query.get("streamToken");
        if (token == null) {
            return principals.authenticate(request).orElse(null);
        }
        return tokens.verify(token).orElseThrow(() -> ApiException.of(ErrorCode.UNAUTHORIZED,
                "the stream token is not valid (unknown, altered or over 60 s old); ask POST /stream-tokens for a new one"));
    }
}
