package io.ticketing.core.redis;

import io.ticketing.core.internal.Secrets;
import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/** The validated settings of one {@link RedisStatisticsBroadcaster}; see its builder for their meaning. */
record Settings(URI redisUri, String channelPrefix, String clientName, Duration connectTimeout,
                Duration socketTimeout, Duration reconnectBackoffMin, Duration reconnectBackoffMax,
                Duration pingInterval, int maxPendingEvents, int maxPendingSnapshots, int fanoutThreads) {

    HostAndPort address() {
        return endpoint().address();
    }

    RedisEndpoint endpoint() {
        return RedisEndpoint.single(redisUri);
    }

    /**
     * Connection settings for one of the broadcaster's connections, named {@code <clientName>:<role>} in
     * {@code CLIENT LIST}. Jedis' {@code CLIENT SETINFO} handshake is off: Kvrocks does not serve it.
     */
    JedisClientConfig clientConfig(String role) {
        return endpoint().clientConfig(clientName + ":" + role, connectTimeout, socketTimeout);
    }

    /** The settings, with the password of {@code redisUri} masked. */
    @Override
    public String toString() {
        return "Settings[redisUri=" + Secrets.maskUrl(redisUri.toString()) + ", channelPrefix=" + channelPrefix
                + ", clientName=" + clientName + ", connectTimeout=" + connectTimeout + ", socketTimeout="
                + socketTimeout + ", reconnectBackoff=" + reconnectBackoffMin + ".." + reconnectBackoffMax
                + ", pingInterval=" + pingInterval + ", maxPendingEvents=" + maxPendingEvents + ", maxPendingSnapshots="
                + maxPendingSnapshots + ", fanoutThreads="
                + fanoutThreads + "]";
    }

    /** The longest a send or connect may block a broadcaster thread. */
    Duration ioBound() {
        return connectTimeout.plus(socketTimeout);
    }
}
