package io.ticketing.examples.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What every node of one multi-node run shares: a PostgreSQL schema and a Redis channel prefix of the run's
 * own, named after the run and a random id, so that runs never meet each other's tables or messages. The
 * benchmarks and the two-node tests start their {@link ClusterNode}s from it. Closing it drops the schema.
 */
public final class Deployment implements AutoCloseable {
    private final String jdbcUrl;
    private final String jdbcUser;
    private final URI redisUri;
    private final String run;
    private final String schema;
    private final String channelPrefix;

    private Deployment(String name, String jdbcUrl, String jdbcUser, URI redisUri) {
        this.jdbcUrl = jdbcUrl;
        this.jdbcUser = jdbcUser;
        this.redisUri = redisUri;
        this.run = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        this.schema = name + "_" + run;
        this.channelPrefix = name + "-" + run + ":";
    }

    /**
     * A deployment on PostgreSQL at {@code jdbcUrl} (trusting {@code jdbcUser}) and Redis at {@code redisUri};
     * {@code name} (a lower-case SQL identifier such as {@code bench_resume}) starts its schema's name.
     */
    public static Deployment create(String name, String jdbcUrl, String jdbcUser, URI redisUri) {
        return new Deployment(name, jdbcUrl, jdbcUser, redisUri);
    }

    /** The settings of a node of this deployment named {@code name} (plus the run's id), to adjust and start. */
    public ClusterNode.Settings node(String name) {
        return node(name, redisUri);
    }

    /** The same, talking to Redis at {@code redisUri} instead (a proxy in front of the deployment's Redis). */
    public ClusterNode.Settings node(String name, URI redisUri) {
        return ClusterNode.named(name + "-" + run).database(jdbcUrl, jdbcUser, schema).redis(redisUri, channelPrefix);
    }

    /** The Redis the nodes talk to unless told otherwise. */
    public URI redisUri() {
        return redisUri;
    }

    /** Drops the schema, with everything the nodes stored. */
    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, jdbcUser, null); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
