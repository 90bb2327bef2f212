package io.ticketing.examples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.Ticketing;
import io.ticketing.core.jdbc.JdbcTicketStore;
import io.ticketing.core.redis.RedisStatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.servlet.PrincipalResolver;
import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.jetty.TicketingJetty;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One application node of a multi-node deployment, as the benchmarks and multi-node tests run it: its
 * own HikariCP pool on the shared PostgreSQL schema, its own Redis broadcaster, {@code Ticketing}, and
 * the API mounted at {@code /api} in an embedded Jetty on an ephemeral loopback port.
 */
public final class ClusterNode implements AutoCloseable {
    private final String name;
    private final HikariDataSource dataSource;
    private final RedisStatisticsBroadcaster redis;
    private final Ticketing ticketing;
    private final TicketingHttp http;
    private final Server server;
    private final URI api;

    private ClusterNode(Settings s, HikariDataSource dataSource, RedisStatisticsBroadcaster redis, Ticketing ticketing,
                        TicketingHttp http, Server server, URI api) {
        this.name = s.name;
        this.dataSource = dataSource;
        this.redis = redis;
        this.ticketing = ticketing;
        this.http = http;
        this.server = server;
        this.api = api;
    }

    private static ClusterNode start(Settings s) throws Exception {
        HikariDataSource dataSource = dataSource(s);
        Ticketing ticketing = null;
        Server server = new Server();
        try {
            RedisStatisticsBroadcaster redis = RedisStatisticsBroadcaster.builder()
                    .redisUri(s.redisUri).channelPrefix(s.channelPrefix).clientName(s.name).build();
            ticketing = Ticketing.builder()
                    .store(JdbcTicketStore.builder(dataSource).schema(s.schema).build())
                    .broadcaster(s.broadcasterWrapper.apply(redis))
                    .build();
            TicketingHttp http = TicketingHttp.builder(ticketing)
                    .principalResolver(s.principalResolver)
                    .maxStreams(s.maxStreams)
                    .maxStreamsPerAddress(s.maxStreams)
                    .build();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(s.port);
            connector.setAcceptQueueSize(4096); // thousands of clients reconnect at once after a restart
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            TicketingJetty.mount(context, "/api", http);
            server.setHandler(context);
            server.start();
            URI api = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api");
            return new ClusterNode(s, dataSource, redis, ticketing, http, server, api);
        } catch (Exception | Error e) {
            server.stop();
            if (ticketing != null) {
                ticketing.close();
            }
            dataSource.close();
            throw e;
        }
    }

    /** Settings for a node; every node of one deployment uses the same schema, Redis and channel prefix. */
    public static Settings named(String name) {
        return new Settings(name);
    }

    public String name() {
        return name;
    }

    public Ticketing ticketing() {
        return ticketing;
    }

    public RedisStatisticsBroadcaster redis() {
        return redis;
    }

    /** {@code http://127.0.0.1:<port>/api}. */
    public URI api() {
        return api;
    }

    /** SSE streams this node holds open now: a client that went away counts until the node notices. */
    public int openStreams() {
        return http.connectionStatistics().connections();
    }

    /** The stream of one event on this node. */
    public URI stream(long eventId) {
        return URI.create(api + "/events/" + eventId + "/stream");
    }

    /** Stops Jetty (which ends the streams cleanly), then {@code Ticketing}, then the pool. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty of node " + name + " did not stop cleanly", e);
        } finally {
            try {
                ticketing.close();
            } finally {
                dataSource.close();
            }
        }
    }

    private static HikariDataSource dataSource(Settings s) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(s.jdbcUrl);
        config.setUsername(s.jdbcUser);
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(5_000);
        config.setPoolName("node-" + s.name);
        config.addDataSourceProperty("ApplicationName", s.name);
        return new HikariDataSource(config);
    }

    /** What a node needs to know; {@link #start()} builds it. */
    public static final class Settings {
        private final String name;
        private String jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/test";
        private String jdbcUser = "postgres";
        private String schema = "ticketing";
        private URI redisUri = RedisStatisticsBroadcaster.Builder.DEFAULT_REDIS_URI;
        private String channelPrefix = RedisStatisticsBroadcaster.Builder.DEFAULT_CHANNEL_PREFIX;
        private PrincipalResolver principalResolver = PrincipalResolver.anonymous();
        private int maxStreams = TicketingHttp.Builder.DEFAULT_MAX_STREAMS;
        private int port;
        private UnaryOperator<StatisticsBroadcaster> broadcasterWrapper = UnaryOperator.identity();

        private Settings(String name) {
            this.name = name;
        }

        public Settings database(String jdbcUrl, String jdbcUser, String schema) {
            this.jdbcUrl = jdbcUrl;
            this.jdbcUser = jdbcUser;
            this.schema = schema;
            return this;
        }

        public Settings redis(URI redisUri, String channelPrefix) {
            this.redisUri = redisUri;
            this.channelPrefix = channelPrefix;
            return this;
        }

        public Settings principalResolver(PrincipalResolver principalResolver) {
            this.principalResolver = principalResolver;
            return this;
        }

        /** Streams this node accepts, in total and from one address (the load generator is one address). */
        public Settings maxStreams(int maxStreams) {
            this.maxStreams = maxStreams;
            return this;
        }

        /** The port on 127.0.0.1 to listen on; 0 (the default) for any free one. */
        public Settings port(int port) {
            this.port = port;
            return this;
        }

        /** Wraps the node's Redis broadcaster before {@code Ticketing} gets it, e.g. to time publishes. */
        public Settings broadcasterWrapper(UnaryOperator<StatisticsBroadcaster> wrapper) {
            this.broadcasterWrapper = wrapper;
            return this;
        }

        public ClusterNode start() throws Exception {
            return ClusterNode.start(this);
        }
    }
}
