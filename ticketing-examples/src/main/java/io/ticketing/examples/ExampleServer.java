package io.ticketing.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ticketing.core.Ticketing;
import io.ticketing.core.jdbc.JdbcTicketStore;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.ticketing.core.redis.RedisStatisticsBroadcaster;
import io.ticketing.core.redis.RedisTicketStore;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.jetty.TicketingJetty;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example app as one object: {@link Ticketing} over the configured store and broadcaster, its HTTP
 * layer under {@code /api}, the demo page at {@code /}, {@code /health} and {@code /metrics}, in embedded
 * Jetty. {@link #start} returns once the port is open; {@link #close} shuts down gracefully. Tests start it
 * on port 0 and read {@link #uri()}.
 */
public final class ExampleServer implements AutoCloseable {
    private static final String API_PREFIX = "/api";
    private static final Logger log = LoggerFactory.getLogger(ExampleServer.class);
    private static final String WEB_RESOURCES = "io/ticketing/examples/web/";
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    private static final int JDBC_POOL_SIZE = 10;
    /**
     * Jetty's threads. A stream holds no thread (its writes are non-blocking, from the library's writer
     * threads), so threads serve requests only, and the blocking ones wait for one of the JDBC pool's
     * connections anyway. Jetty's default of 200 let a burst of 10,000 stream connections start about 70
     * threads, each keeping its stack and malloc arena resident: about 0.4 MB a thread, 2.7 KB of resident
     * memory per idle stream in that burst (docs/benchmarks.md, "Fan-out pipeline", idle streams).
     */
    private static final int MAX_THREADS = 16;

    private final ExampleConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** What to close after Jetty and {@link Ticketing}, last opened first. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Ticketing ticketing;
    private final TicketingHttp http;
    private final Server server;
    private final ServerConnector connector;

    private ExampleServer(ExampleConfig config) {
        this.config = config;
        ObjectMapper mapper = TicketingJson.newObjectMapper();
        try {
            Ticketing.Builder builder = Ticketing.builder()
                    .store(store())
                    .metrics(new MicrometerMetricsTrackerFactory(registry))
                    .holdDuration(config.holdDuration());
            if (config.redisUrl() != null) {
                builder.broadcaster(redisBroadcaster());
            }
            this.ticketing = builder.build();
        } catch (RuntimeException e) {
            closeResources();
            throw e;
        }
        String jwtSecret = config.demoMode() ? randomSecret() : config.jwtSecret();
        JwtTokens tokens = new JwtTokens(jwtSecret, config.jwtIssuer(), config.jwtAudience());
        this.http = TicketingHttp.builder(ticketing)
                .principalResolver(new BearerTokenResolver(tokens))
                .streamTokenSecret(streamTokenSecret(jwtSecret))
                .heartbeatInterval(config.heartbeatInterval())
                .reservationExpiringLead(config.expiringLead())
                .maxStreams(config.maxStreams())
                .maxStreamsPerAddress(config.maxStreamsPerAddress())
                .trustedProxies(config.trustedProxies())
                .build();
        bindMetrics();

        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS);
        pool.setName("jetty");
        this.server = new Server(pool);
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        this.connector = new ServerConnector(server);
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        server.setHandler(context(tokens, mapper));
        TicketingJetty.answerErrorsAsJson(server);
    }

    /**
     * Builds everything and opens the port.
     *
     * @throws Exception when the port is taken or a backend cannot be reached; everything opened so far is
     *                   closed again
     */
    public static ExampleServer start(ExampleConfig config) throws Exception {
        ExampleServer app = new ExampleServer(config);
        try {
            app.server.start();
        } catch (Exception e) {
            app.close();
            throw e;
        }
        app.logStarted();
        return app;
    }

    /** Where the app listens, as {@code localhost} when it listens on loopback or on every interface. */
    public URI uri() {
        String host = List.of(ExampleConfig.ANY_HOST, ExampleConfig.LOOPBACK_HOST, "::", "::1").contains(config.host())
                ? "localhost" : config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
    }

    /** Whether the app listens on a loopback interface only, where other machines cannot reach it. */
    public boolean loopbackOnly() {
        try {
            return InetAddress.getByName(config.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // it listens, so the name resolved; say nothing reassuring if it no longer does
        }
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Graceful shutdown: stops accepting connections, ends every SSE stream cleanly (clients reconnect
     * elsewhere), lets in-flight requests finish for up to 5 s, stops Jetty, then closes {@link Ticketing}
     * (hold expiry, broadcaster, store) and the connection pools. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Shutting down: no new connections, closing event streams");
        connector.shutdown(); // closes the listening socket; open connections go on
        http.shutdown();
        try {
            server.stop();
        } catch (TimeoutException e) {
            log.info("Closed the connections still busy after {} ms", STOP_TIMEOUT_MILLIS);
        } catch (Exception e) {
            log.warn("Jetty did not stop cleanly", e);
        }
        ticketing.close();
        closeResources();
        registry.close();
        log.info("Stopped");
    }

    private void closeResources() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Could not close {}", resource, e);
            }
        }
    }

    /**
     * Statistics over Redis pub/sub; {@link Ticketing} starts and closes it. It connects in the background, so
     * the app starts while Redis is down and {@code /health} reports {@code pubSub} {@code DOWN} until it is up.
     */
    private RedisStatisticsBroadcaster redisBroadcaster() {
        RedisStatisticsBroadcaster redis = RedisStatisticsBroadcaster.builder()
                .redisUri(config.redisUrl())
                .clientName("ticketing-example")
                .build();
        FunctionCounter.builder("ticketing.redis.snapshots.dropped", redis, RedisStatisticsBroadcaster::droppedSnapshots)
                .description("Snapshots not sent to Redis because too many events were waiting").register(registry);
        return redis;
    }

    /**
     * The in-memory store, the Redis store ({@link Ticketing} closes it), or the PostgreSQL store on a HikariCP
     * pool that {@link #close} closes.
     */
    private TicketStore store() {
        if (config.redisStoreUrl() != null) {
            return RedisTicketStore.builder(config.redisStoreUrl()).keyPrefix(config.redisStorePrefix())
                    .clientName("ticketing-example").build();
        }
        if (config.jdbcUrl() == null) {
            return new InMemoryTicketStore();
        }
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("ticketing");
        pool.setJdbcUrl(config.jdbcUrl());
        pool.setMaximumPoolSize(JDBC_POOL_SIZE);
        pool.setConnectionTimeout(3_000);
        pool.setValidationTimeout(1_000);
        pool.setInitializationFailTimeout(-1); // let the store's build() name the URL it cannot reach
        pool.addDataSourceProperty("connectTimeout", "5");
        pool.addDataSourceProperty("socketTimeout", "30");
        pool.addDataSourceProperty("ApplicationName", "ticketing-example");
        pool.setMetricRegistry(registry);
        HikariDataSource dataSource = new HikariDataSource(pool);
        resources.push(dataSource);
        return JdbcTicketStore.builder(dataSource).build();
    }

    private ServletContextHandler context(JwtTokens tokens, ObjectMapper mapper) {
        ServletContextHandler context = new ServletContextHandler("/");
        TicketingJetty.mount(context, API_PREFIX, http);
        if (config.demoMode()) {
            context.addServlet(new ServletHolder("demo-token", new DemoTokenServlet(tokens, mapper)),
                    API_PREFIX + "/demo/token");
        }
        JsonResponses responses = new JsonResponses(mapper);
        context.addServlet(new ServletHolder("health", new HealthServlet(ticketing::isStoreHealthy,
                ticketing::isBroadcasterHealthy, responses)), "/health");
        context.addServlet(new ServletHolder("metrics", new MetricsServlet(registry)), "/metrics");

        context.setBaseResource(ResourceFactory.of(context).newClassLoaderResource(WEB_RESOURCES));
        context.setWelcomeFiles(new String[] {"index.html"});
        ServletHolder page = new ServletHolder("page", DefaultServlet.class);
        page.setInitParameter("dirAllowed", "false");
        page.setInitParameter("cacheControl", "no-cache");
        context.addServlet(page, "/");
        return context;
    }

    /** The JVM's meters; the library's own come from {@link MicrometerMetricsTrackerFactory}. */
    private void bindMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private void logStarted() {
        if (config.demoMode() && loopbackOnly()) {
            log.warn("DEMO MODE: no JWT secret configured, so tokens are signed with a random secret and anyone on "
                    + "this machine can get one at POST {}/demo/token. Listening on {} only: other machines cannot "
                    + "connect. Set TICKETING_JWT_SECRET (or --jwt-secret) to run for real, or pass --host 0.0.0.0 "
                    + "to open the demo to your network.", API_PREFIX, config.host());
        } else if (config.demoMode()) {
            log.warn("DEMO MODE ON {} AS --host ASKED: no JWT secret configured, so anyone who can reach port {} can "
                    + "get a token for any user at POST {}/demo/token. Set TICKETING_JWT_SECRET (or --jwt-secret) to "
                    + "run for real.", config.host(), connector.getLocalPort(), API_PREFIX);
        }
        log.info("Store: {}", config.redisStoreUrl() != null ? "Redis (its address is logged above, password masked)"
                : config.jdbcUrl() != null ? "PostgreSQL"
                : "in memory (lost on restart; use --jdbc-url for PostgreSQL or --redis-store-url for Redis)");
        log.info("Statistics delivery: {}", config.redisUrl() == null
                ? "in process (one node; use --redis-url to run several)" : "Redis pub/sub");
        log.info("Ticketing example is running: open {} (API under {}, health at /health, metrics at /metrics)",
                uri(), API_PREFIX);
    }

    /**
     * The key of the library's stream tokens, derived from the JWT secret (HMAC-SHA256 of a fixed label), so
     * that every node with the same JWT secret accepts the stream tokens of the others, and neither key
     * reveals the other.
     */
    private static byte[] streamTokenSecret(String jwtSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(jwtSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal("ticketing stream tokens".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
