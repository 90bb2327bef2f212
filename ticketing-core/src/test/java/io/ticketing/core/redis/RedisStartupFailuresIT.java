package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.CapturedLog;
import io.ticketing.core.testing.TestEnvironment;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broadcaster's log says why it cannot use Redis: refused, unknown host, authentication failed, no such
 * database; and never shows the password of its URI. Against the shared Redis, which has no password.
 */
class RedisStartupFailuresIT {
    private static final String SECRET = "s3cret-redis-pw";

    /** The warnings each test provokes, kept out of the build output and read by the test. */
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    /** Starts a broadcaster on {@code uri} and waits until its log says {@code expected}. */
    private void assertLogSays(String uri, String expected) {
        try (RedisStatisticsBroadcaster broadcaster = RedisStatisticsBroadcaster.builder().redisUri(uri)
                .clientName("startup-failures-it").build()) {
            broadcaster.start(eventId -> Optional.empty());
            Await.until(() -> log.text().contains(expected), "a log line saying " + expected + " in:\n" + log.text());
            assertFalse(log.text().contains(SECRET), log.text());
        }
    }

    private static String server() {
        URI redis = TestEnvironment.redisUri();
        return redis.getHost() + ":" + redis.getPort();
    }

    @Test
    void aRefusedConnectionIsSaidSo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertLogSays("redis://:" + SECRET + "@127.0.0.1:" + closedPort, "connection refused by 127.0.0.1:" + closedPort);
    }

    @Test
    void anUnknownHostIsSaidSo() {
        assertLogSays("redis://no-such-host.invalid:6379", "unknown host no-such-host.invalid");
    }

    @Test
    void aPasswordRedisDoesNotAcceptIsAnAuthenticationFailure() {
        assertLogSays("redis://ticketing-it:" + SECRET + "@" + server(), "authentication failed at " + server());
    }

    @Test
    void aDatabaseRedisDoesNotHaveIsSaidSo() {
        assertLogSays("redis://" + server() + "/9999", "no such database at " + server());
    }
}
