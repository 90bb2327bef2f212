package io.ticketing.core.testing;

import java.net.URI;

/**
 * Where integration tests find PostgreSQL and Redis: the environment variables
 * {@code TICKETING_TEST_JDBC_URL} (user {@code TICKETING_TEST_JDBC_USER}) and
 * {@code TICKETING_TEST_REDIS_URL} (and {@code TICKETING_TEST_REDIS_CLUSTER_URL} for a Redis Cluster),
 * defaulting to the local servers that {@code .ci/run} starts.
 */
public final class TestEnvironment {
    private TestEnvironment() {
    }

    public static String jdbcUrl() {
        return env("TICKETING_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    public static String jdbcUser() {
        return env("TICKETING_TEST_JDBC_USER", "postgres");
    }

    public static URI redisUri() {
        return URI.create(env("TICKETING_TEST_REDIS_URL", "redis://127.0.0.1:6379"));
    }

    /** The three-master cluster that {@code scripts/ensure-services.sh} starts; {@code TICKETING_TEST_REDIS_CLUSTER_URL}. */
    public static String redisClusterUrl() {
        return env("TICKETING_TEST_REDIS_CLUSTER_URL", "redis-cluster://127.0.0.1:17001,127.0.0.1:17002,127.0.0.1:17003");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
