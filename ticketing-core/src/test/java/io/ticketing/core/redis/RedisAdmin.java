package io.ticketing.core.redis;

import io.ticketing.core.testing.TestEnvironment;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/** Test-side access to the shared Redis: only ever touches this test's own connections and channels. */
final class RedisAdmin {
    private RedisAdmin() {
    }

    static URI uri() {
        return TestEnvironment.redisUri();
    }

    /** The Redis URI with its host and port replaced, e.g. to go through a {@code TcpProxy}. */
    static URI via(int port) {
        URI uri = uri();
        try {
            return new URI(uri.getScheme(), uri.getUserInfo(), "127.0.0.1", port, uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A name no other test run uses, for channel prefixes and client names. */
    static String unique(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Ids of the connections whose {@code CLIENT SETNAME} is exactly {@code name}. */
    static List<Long> clientIds(String name) {
        try (Jedis jedis = new Jedis(uri())) {
            List<Long> ids = new ArrayList<>();
            for (String line : jedis.clientList().split("\n")) {
                String id = null;
                String clientName = null;
                for (String field : line.trim().split(" ")) {
                    if (field.startsWith("id=")) {
                        id = field.substring(3);
                    } else if (field.startsWith("name=")) {
                        clientName = field.substring(5);
                    }
                }
                if (name.equals(clientName) && id != null) {
                    ids.add(Long.parseLong(id));
                }
            }
            return ids;
        }
    }

    static void kill(long clientId) {
        try (Jedis jedis = new Jedis(uri())) {
            jedis.clientKill(ClientKillParams.clientKillParams().id(Long.toString(clientId)));
        }
    }
}
