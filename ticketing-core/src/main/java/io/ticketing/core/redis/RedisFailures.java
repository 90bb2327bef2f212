package io.ticketing.core.redis;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import redis.clients.jedis.HostAndPort;

/** Says in words why talking to Redis failed, for the broadcaster's log lines. Never names a password. */
final class RedisFailures {
    private RedisFailures() {
    }

    /** The cause of {@code failure}: unknown host, refused, timed out, authentication, no such database, or its message. */
    static String describe(Throwable failure, HostAndPort address) {
        String cause = cause(failure, address, 0);
        return cause != null ? cause : failure.getMessage() + " (" + address + ")";
    }

    /** The first cause found in {@code t}, its causes and their suppressed exceptions (Jedis adds one per address). */
    private static String cause(Throwable failure, HostAndPort address, int depth) {
        for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
            for (Throwable suppressed : t.getSuppressed()) {
                String found = cause(suppressed, address, depth + 1);
                if (found != null) {
                    return found;
                }
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof UnknownHostException) {
                return "unknown host " + address.getHost();
            }
            if (t instanceof ConnectException) {
                return "connection refused by " + address;
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer from " + address + " within the timeout";
            }
            if (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
                    || message.startsWith("ERR") && message.contains("AUTH")) {
                return "authentication failed at " + address + ": " + message;
            }
            if (message.contains("DB index is out of range") || message.contains("invalid DB index")) {
                return "no such database at " + address + ": " + message;
            }
        }
        return null;
    }
}
