package io.ticketing.core.redis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** A test's own key prefix for a Redis store, and what lies under it on a server or on every node of a cluster. */
final class StoreKeys {
    private StoreKeys() {
    }

    /** A prefix no other test run uses. */
    static String uniquePrefix() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** A store on {@code url} under a fresh prefix. */
    static RedisTicketStore newStore(String url, String prefix) {
        return RedisTicketStore.builder(url).keyPrefix(prefix).clientName("test-store").build();
    }

    /** Every key that starts with {@code pattern} (a SCAN pattern), on every node named in {@code url}. */
    static List<String> keys(String url, String pattern) {
        RedisEndpoint endpoint = RedisEndpoint.parse(url);
        java.util.ArrayList<String> keys = new java.util.ArrayList<>();
        for (HostAndPort node : endpoint.nodes()) {
            try (Jedis jedis = new Jedis(node, endpoint.clientConfig("test-keys", Duration.ofSeconds(2), Duration.ofSeconds(10)))) {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(pattern).count(1000));
                    keys.addAll(page.getResult());
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }
        return keys;
    }

    /** Deletes every key under the prefix, on every node named in {@code url} (each node deletes its own). */
    static void deleteAll(String url, String prefix) {
        RedisEndpoint endpoint = RedisEndpoint.parse(url);
        for (HostAndPort node : endpoint.nodes()) {
            try (Jedis jedis = new Jedis(node, endpoint.clientConfig("test-keys", Duration.ofSeconds(2), Duration.ofSeconds(10)))) {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(glob(prefix) + "*").count(1000));
                    for (String key : page.getResult()) {
                        jedis.del(key);
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }
    }

    /** {@code s} with the characters special to SCAN patterns escaped. */
    static String glob(String s) {
        return s.replaceAll("([*?\\[\\]\\\\{}])", "\\\\$1");
    }
}
