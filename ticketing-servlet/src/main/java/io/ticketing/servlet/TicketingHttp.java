package io.ticketing.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.Ticketing;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.servlet.internal.ClientAddresses;
import io.ticketing.servlet.internal.HttpLimits;
import io.ticketing.servlet.internal.RestHandler;
import io.ticketing.servlet.internal.StreamHandler;
import io.ticketing.servlet.internal.StreamHub;
import io.ticketing.servlet.internal.StreamTokens;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP face of one {@link Ticketing}: the REST servlet, the SSE stream servlet, their connection
 * statistics and their shutdown. Build one per application with {@link #builder(Ticketing)} and mount
 * {@link #restServlet()} under one prefix, for example {@code /api/*}, with {@code asyncSupported=true};
 * it serves every path of the API and hands {@code GET /events/{id}/stream} and {@code GET /stream/stats}
 * to {@link #streamServlet()} itself, so one mapping serves the whole contract.
 *
 * <pre>{@code
 * TicketingHttp http = TicketingHttp.builder(ticketing).principalResolver(myResolver).build();
 * ServletRegistration.Dynamic api = servletContext.addServlet("ticketing", http.restServlet());
 * api.setAsyncSupported(true);
 * api.addMapping("/api/*");
 * // on shutdown, before stopping the container:
 * http.shutdown();
 * }</pre>
 *
 * <p>Thread-safe. Owns one daemon scheduler thread (heartbeats and slow-client checks for every stream)
 * and {@link Builder#writerThreads(int) writer threads} (statistics updates); {@link #shutdown()} stops
 * them. It never closes the {@link Ticketing}: the host does that after
 * shutting this down.
 */
public final class TicketingHttp implements AutoCloseable {
    private final StreamHub hub;
    private final EventStreamServlet streamServlet;
    private final RestApiServlet restServlet;
    private final Duration shutdownTimeout;
    private final CorsPolicy cors;

    private TicketingHttp(Builder b, CorsPolicy cors) {
        this.cors = cors;
        ObjectMapper mapper = TicketingJson.newObjectMapper();
        HttpLimits limits = new HttpLimits(b.heartbeatInterval, b.slowClientTimeout, b.maxStreams,
                b.maxStreamsPerAddress, b.retryAfter, b.reconnectDelay, b.maxRequestBodyBytes, b.writerThreads,
                b.minUpdateInterval, b.busyEventUpdateInterval, b.busyEventChangesPerSecond, b.maxStreamsPerUser,
                b.reservationExpiringLead, b.maxTopicsPerStream);
        this.hub = new StreamHub(b.ticketing.statistics(), mapper, limits, b.ticketing.metrics());
        StreamTokens tokens = new StreamTokens(b.streamTokenSecret);
        this.streamServlet = new EventStreamServlet(
                new StreamHandler(b.ticketing, b.principalResolver, mapper, hub, limits, b.clientAddresses, tokens), cors, this);
        this.restServlet = new RestApiServlet(
                new RestHandler(b.ticketing, b.principalResolver, mapper, limits, tokens), cors,
                b.serveOpenApi ? new OpenApiDocument(mapper) : null,
                b.serveBrowserClient ? new BrowserClientScript() : null, streamServlet);
        this.shutdownTimeout = b.shutdownTimeout;
    }

    /** Starts the settings of an HTTP layer over {@code ticketing}; every setting has a working default. */
    public static Builder builder(Ticketing ticketing) {
        return new Builder(ticketing);
    }

    /**
     * The servlet to mount under the API prefix (say {@code /api/*}, async supported). It answers the REST
     * paths itself and passes the stream paths to {@link #streamServlet()}. The same instance on every call.
     */
    public RestApiServlet restServlet() {
        return restServlet;
    }

    /**
     * The SSE servlet: {@code GET /events/{id}/stream} and {@code GET /stream/stats}. Mount it on its own
     * only to serve the streams without the REST API; otherwise {@link #restServlet()} already routes to it.
     */
    public EventStreamServlet streamServlet() {
        return streamServlet;
    }

    /**
     * The CORS headers that a response to a request from {@code origin} (its {@code Origin} header, null if
     * it had none) carries under {@link Builder#allowedOrigins(Collection)}: {@code Vary: Origin} once any
     * origin is allowed and, for an allowed origin, {@code Access-Control-Allow-Origin} and the rest. The
     * servlets add them to every answer; an error handler that answers for the container (the library's
     * {@code JsonErrorHandler} and {@code JsonErrorReportValve}, or a host's own) adds them so that a browser
     * of an allowed origin can read that error too. Empty when no origin is allowed.
     */
    public Map<String, String> corsHeaders(@Nullable String origin) {
        return cors.responseHeaders(origin);
    }

    /** This node's open streams and delivery counters, now; the body of {@code GET /stream/stats}. */
    public ConnectionStatistics connectionStatistics() {
        return hub.statistics();
    }

    /**
     * Graceful shutdown of the streams: new stream requests get {@code 503 unavailable} with
     * {@code Retry-After}, every open stream gets its pending snapshot and is then completed cleanly (a
     * clean end of the HTTP response, so that clients reconnect elsewhere), and streams that cannot finish
     * within the shutdown timeout are completed anyway. Then the scheduler thread stops and every
     * statistics subscription is closed. The REST servlet keeps answering until the container stops.
     * Call it before stopping the container. Idempotent; returns once streams are closed or the timeout
     * passed.
     */
    public void shutdown() {
        hub.shutdown(shutdownTimeout);
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /**
     * Settings of the HTTP layer, with documented defaults; {@link #build()} validates all of them at once
     * and names the first one that is out of range. Not thread-safe; use it on one thread.
     */
    public static final class Builder {
        public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
        public static final Duration DEFAULT_SLOW_CLIENT_TIMEOUT = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_STREAMS = 20_000;
        public static final int DEFAULT_MAX_STREAMS_PER_ADDRESS = 100;
        public static final int DEFAULT_MAX_STREAMS_PER_USER = 20;
        public static final Duration DEFAULT_RESERVATION_EXPIRING_LEAD = Duration.ofSeconds(60);
        public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
        public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofMillis(3000);
        public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 1024 * 1024;
        public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
        public static final int DEFAULT_WRITER_THREADS = Runtime.getRuntime().availableProcessors();
        public static final Duration DEFAULT_MIN_UPDATE_INTERVAL = Duration.ZERO;
        public static final Duration DEFAULT_BUSY_EVENT_UPDATE_INTERVAL = Duration.ofMillis(250);
        public static final int DEFAULT_BUSY_EVENT_CHANGES_PER_SECOND = 50;
        /** 50 events and 20 named subsections: the most the contract lets one stream name. */
        public static final int DEFAULT_MAX_TOPICS_PER_STREAM = 70;

        private final Ticketing ticketing;
        private PrincipalResolver principalResolver = PrincipalResolver.anonymous();
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration slowClientTimeout = DEFAULT_SLOW_CLIENT_TIMEOUT;
        private int maxStreams = DEFAULT_MAX_STREAMS;
        private int maxStreamsPerAddress = DEFAULT_MAX_STREAMS_PER_ADDRESS;
        private int maxStreamsPerUser = DEFAULT_MAX_STREAMS_PER_USER;
        private int maxTopicsPerStream = DEFAULT_MAX_TOPICS_PER_STREAM;
        private byte[] streamTokenSecret;
        private Duration reservationExpiringLead = DEFAULT_RESERVATION_EXPIRING_LEAD;
        private List<String> trustedProxies = List.of();
        private ClientAddresses clientAddresses;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private Duration reconnectDelay = DEFAULT_RECONNECT_DELAY;
        private int maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int writerThreads = DEFAULT_WRITER_THREADS;
        private Duration minUpdateInterval = DEFAULT_MIN_UPDATE_INTERVAL;
        private Duration busyEventUpdateInterval = DEFAULT_BUSY_EVENT_UPDATE_INTERVAL;
        private int busyEventChangesPerSecond = DEFAULT_BUSY_EVENT_CHANGES_PER_SECOND;
        private Set<String> allowedOrigins = Set.of();
        private boolean allowCredentials;
        private boolean serveOpenApi = true;
        private boolean serveBrowserClient = true;

        private Builder(Ticketing ticketing) {
            this.ticketing = Objects.requireNonNull(ticketing, "ticketing");
        }

        /** Who is calling. Default: {@link PrincipalResolver#anonymous()} (no one can write). */
        public Builder principalResolver(PrincipalResolver principalResolver) {
            this.principalResolver = Objects.requireNonNull(principalResolver, "principalResolver");
            return this;
        }

        /**
         * Quiet time after which a stream gets a {@code : heartbeat} comment: 10 ms to 1 h, default 5 s, so
         * that clients with a 10 s read timeout (OkHttp's default) keep a quiet stream. An idle stream costs
         * one 13-byte write per interval.
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
            return this;
        }

        /**
         * How long a client may stay unwritable (not reading while data waits) before its stream is closed:
         * 10 ms to 10 minutes, default 30 s.
         */
        public Builder slowClientTimeout(Duration slowClientTimeout) {
            this.slowClientTimeout = Objects.requireNonNull(slowClientTimeout, "slowClientTimeout");
            return this;
        }

        /** Open streams this node accepts; one more gets {@code 429}: 1 to 1,000,000, default 20,000. */
        public Builder maxStreams(int maxStreams) {
            this.maxStreams = maxStreams;
            return this;
        }

        /**
         * Open streams one client address ({@code ServletRequest.getRemoteAddr()}, or the address that
         * {@link #trustedProxies trusted proxies} forwarded) may hold; one more gets {@code 429}: 1 to
         * {@code maxStreams}, default 100.
         */
        public Builder maxStreamsPerAddress(int maxStreamsPerAddress) {
            this.maxStreamsPerAddress = maxStreamsPerAddress;
            return this;
        }

        /**
         * Open streams one authenticated user (the {@code PrincipalResolver}'s user: id and role) may hold on
         * this node, whatever their addresses; one more gets {@code 429}: 1 to 1,000,000, default 20.
         * Anonymous streams count only against the address cap.
         */
        public Builder maxStreamsPerUser(int maxStreamsPerUser) {
            this.maxStreamsPerUser = maxStreamsPerUser;
            return this;
        }

        /**
         * Topics one stream may carry, a topic being one event or one named subsection ({@code ?seats=}): a
         * stream with more gets {@code 429 too_many_topics}, before it opens. 1 to 70, default 70, the most the
         * contract allows (50 events and 20 subsections; more than those is {@code 400 validation_failed}).
         */
        public Builder maxTopicsPerStream(int maxTopicsPerStream) {
            this.maxTopicsPerStream = maxTopicsPerStream;
            return this;
        }

        /**
         * How long before a hold lapses {@code GET /me/stream} sends its buyer {@code reservation_expiring}
         * (once per hold and stream; at once for a hold that has less left): 0 to 1 h, default 60 s.
         */
        public Builder reservationExpiringLead(Duration lead) {
            this.reservationExpiringLead = Objects.requireNonNull(lead, "reservationExpiringLead");
            return this;
        }

        /**
         * The HMAC-SHA256 key of the stream tokens that {@code POST /stream-tokens} issues and stream requests
         * accept as {@code ?streamToken=}: at least 32 bytes; give every node of a cluster the same one, so that
         * a token issued by one node opens a stream on another. Default: 32 random bytes drawn at
         * {@link #build()}, so that tokens work only on the node that issued them.
         */
        public Builder streamTokenSecret(byte[] secret) {
            this.streamTokenSecret = Objects.requireNonNull(secret, "streamTokenSecret").clone();
            return this;
        }

        /**
         * The load balancers and proxies in front of this node, as addresses or CIDR blocks, IPv4 or IPv6
         * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); default none. Only for a request whose peer is one of
         * them is the client address read from {@code Forwarded} (RFC 7239), else {@code X-Forwarded-For}: the
         * right-most hop that is not a trusted proxy, since hops left of it may be forged by the client.
         * Without this setting those headers are ignored, and every client behind one proxy shares its
         * address's cap. Leave it empty if the container already resolves the client address (Jetty's
         * {@code ForwardedRequestCustomizer}, Tomcat's {@code RemoteIpValve}).
         */
        public Builder trustedProxies(Collection<String> addressesOrCidrs) {
            this.trustedProxies = List.copyOf(Objects.requireNonNull(addressesOrCidrs, "trustedProxies"));
            return this;
        }

        /** The {@code Retry-After} of {@code 429} and {@code 503} answers: 1 s to 1 h, default 5 s. */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
            return this;
        }

        /** The {@code retry:} field every stream starts with: 0 to 1 h, default 3000 ms. */
        public Builder reconnectDelay(Duration reconnectDelay) {
            this.reconnectDelay = Objects.requireNonNull(reconnectDelay, "reconnectDelay");
            return this;
        }

        /** Largest request body; a larger one gets {@code 413}: 1 KiB to 64 MiB, default 1 MiB. */
        public Builder maxRequestBodyBytes(int maxRequestBodyBytes) {
            this.maxRequestBodyBytes = maxRequestBodyBytes;
            return this;
        }

        /** How long {@link TicketingHttp#shutdown()} waits for streams to close: 0 to 1 minute, default 5 s. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /**
         * Threads that write statistics updates to streams: each takes an equal share of every event's
         * streams, so one update reaches thousands of clients in parallel. 1 to 256, default the number of
         * available processors.
         */
        public Builder writerThreads(int writerThreads) {
            this.writerThreads = writerThreads;
            return this;
        }

        /**
         * The shortest time between two {@code status_update}s of one event: a change that comes sooner is
         * sent when the interval has passed, together with any later ones (conflated: the newest snapshot
         * wins), so that a hot event costs a bounded number of writes per stream and second. An update
         * after a quiet spell goes out at once. It applies to every event and adds up to this much latency;
         * {@link #busyEventUpdateInterval} paces only the events in a rush. 0 (send every change as it
         * comes) to 10 s, default 0.
         */
        public Builder minUpdateInterval(Duration minUpdateInterval) {
            this.minUpdateInterval = Objects.requireNonNull(minUpdateInterval, "minUpdateInterval");
            return this;
        }

        /**
         * The shortest time between two {@code status_update}s of a <em>busy</em> event: one that changes
         * {@link #busyEventChangesPerSecond} times a second or more. Its streams then get its newest
         * statistics once per interval (conflated), so that a sales rush costs each stream a bounded number
         * of writes and the buyers keep the CPU; an event that changes less often streams every change as it
         * happens. The event stops being busy after one interval below that rate. 0 (never) to 10 s, default
         * 250 ms.
         */
        public Builder busyEventUpdateInterval(Duration busyEventUpdateInterval) {
            this.busyEventUpdateInterval = Objects.requireNonNull(busyEventUpdateInterval, "busyEventUpdateInterval");
            return this;
        }

        /**
         * How many changes a second make an event busy (see {@link #busyEventUpdateInterval}): 1 to
         * 1,000,000, default 50.
         */
        public Builder busyEventChangesPerSecond(int busyEventChangesPerSecond) {
            this.busyEventChangesPerSecond = busyEventChangesPerSecond;
            return this;
        }

        /**
         * Browser origins on other sites that may use the API and its streams (CORS), each exactly
         * {@code scheme://host[:port]} as browsers send it in {@code Origin}, for example
         * {@code https://shop.example.com}; a request from any other origin gets no CORS headers, so the
         * browser refuses to show it the response. Allowed origins get {@code Access-Control-Allow-Origin}
         * on every REST and stream response, {@code Access-Control-Expose-Headers: Location, Retry-After},
         * and a {@code 204} to a preflight {@code OPTIONS} allowing {@code GET, POST, PATCH} with the headers
         * {@code Authorization, Content-Type, Idempotency-Key, Last-Event-ID}, cached one hour. Default: none
         * (CORS off; same-origin pages need nothing).
         */
        public Builder allowedOrigins(Collection<String> allowedOrigins) {
            this.allowedOrigins = Set.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
            return this;
        }

        /** Same as {@link #allowedOrigins(Collection)}. */
        public Builder allowedOrigins(String... allowedOrigins) {
            return allowedOrigins(List.of(allowedOrigins));
        }

        /**
         * Whether allowed origins may send cookies (answers carry {@code Access-Control-Allow-Credentials:
         * true}); needed only when the {@link PrincipalResolver} reads cookies, for an
         * {@code EventSource(url, {withCredentials: true})} or a {@code fetch} with
         * {@code credentials: "include"}. A bearer token in {@code Authorization} needs no credentials. Default
         * false.
         */
        public Builder allowCredentials(boolean allowCredentials) {
            this.allowCredentials = allowCredentials;
            return this;
        }

        /**
         * Whether {@code GET <mount>/openapi.json} answers the OpenAPI 3.1 description of the REST API (with
         * {@code servers} set to the mount); when false that path is a {@code 404} like any unknown one.
         * Default true. The same file is in the jar as {@code io/ticketing/servlet/openapi.json}.
         */
        public Builder serveOpenApi(boolean serveOpenApi) {
            this.serveOpenApi = serveOpenApi;
            return this;
        }

        /**
         * Whether {@code GET <mount>/ticketing-client.js} answers the browser client, a dependency-free ES
         * module over {@code EventSource} (docs/browser-client.md); when false that path is a {@code 404} like
         * any unknown one. Default true. The same file is in the jar as
         * {@code io/ticketing/servlet/ticketing-client.js}.
         */
        public Builder serveBrowserClient(boolean serveBrowserClient) {
            this.serveBrowserClient = serveBrowserClient;
            return this;
        }

        /**
         * Validates every setting and starts the scheduler and writer threads.
         *
         * @throws IllegalArgumentException naming the setting that is out of range and what is allowed
         */
        public TicketingHttp build() {
            check("heartbeatInterval", heartbeatInterval, Duration.ofMillis(10), Duration.ofHours(1));
            check("slowClientTimeout", slowClientTimeout, Duration.ofMillis(10), Duration.ofMinutes(10));
            check("maxStreams", maxStreams, 1, 1_000_000);
            check("maxStreamsPerAddress", maxStreamsPerAddress, 1, maxStreams);
            check("maxStreamsPerUser", maxStreamsPerUser, 1, 1_000_000);
            check("maxTopicsPerStream", maxTopicsPerStream, 1, DEFAULT_MAX_TOPICS_PER_STREAM);
            check("reservationExpiringLead", reservationExpiringLead, Duration.ZERO, Duration.ofHours(1));
            check("retryAfter", retryAfter, Duration.ofSeconds(1), Duration.ofHours(1));
            check("reconnectDelay", reconnectDelay, Duration.ZERO, Duration.ofHours(1));
            check("maxRequestBodyBytes", maxRequestBodyBytes, 1024, 64 * 1024 * 1024);
            check("shutdownTimeout", shutdownTimeout, Duration.ZERO, Duration.ofMinutes(1));
            check("writerThreads", writerThreads, 1, 256);
            check("minUpdateInterval", minUpdateInterval, Duration.ZERO, Duration.ofSeconds(10));
            check("busyEventUpdateInterval", busyEventUpdateInterval, Duration.ZERO, Duration.ofSeconds(10));
            check("busyEventChangesPerSecond", busyEventChangesPerSecond, 1, 1_000_000);
            if (streamTokenSecret == null) {
                streamTokenSecret = new byte[32];
                new SecureRandom().nextBytes(streamTokenSecret);
            } else if (streamTokenSecret.length < 32) {
                throw new IllegalArgumentException("streamTokenSecret must have at least 32 bytes, had "
                        + streamTokenSecret.length);
            }
            clientAddresses = ClientAddresses.trusting(trustedProxies);
            CorsPolicy cors = CorsPolicy.of(allowedOrigins, allowCredentials); // refuses an origin that is no origin
            return new TicketingHttp(this, cors);
        }

        private static void check(String name, Duration value, Duration min, Duration max) {
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
        }

        private static void check(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
        }
    }
}
