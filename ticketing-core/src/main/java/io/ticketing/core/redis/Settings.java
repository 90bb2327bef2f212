package io.ticketing.core.redis;

import io.ticketing.core.internal.Secrets;
import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.JedisURIHelper;

/** The validated settings of one {@link RedisStatisticsBroadcaster}; see its builder for their meaning. */
record Settings(URI redisUri, String channelPrefix, String clientName, Duration connectTimeout,
                Duration socketTimeout, Duration reconnectBackoffMin, Duration reconnectBackoffMax,
                Duration pingInterval, int maxPendingEvents, int fanoutThreads) {

    HostAndPort address() {
        return JedisURIHelper.getHostAndPort(redisUri);
    }

    /**
     * Connection settings for one of the broadcaster's connections, named {@code <clientName>:<role>} in
     * {@code CLIENT LIST}. Jedis' {@code CLIENT SETINFO} handshake is off: Kvrocks does not serve it.
     */
    JedisClientConfig clientConfig(String role) {
        return DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(redisUri))
                .password(JedisURIHelper.getPassword(redisUri))
                .database(JedisURIHelper.getDBIndex(redisUri))
                .ssl(JedisURIHelper.isRedisSSLScheme(redisUri))
                .clientName(clientName + ":" + role)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .connectionTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
                .socketTimeoutMillis(Math.toIntExact(socketTimeout.toMillis()))
                .build();
    }

    /** The settings, with the password of {@code redisUri} masked. */
    @Override
    public String toString() {
        return "Settings[redisUri=" + Secrets.maskUrl(redisUri.toString()) + ", channelPrefix=" + channelPrefix
                + ", clientName=" + clientName + ", connectTimeout=" + connectTimeout + ", socketTimeout="
                + socketTimeout + ", reconnectBackoff=" + reconnectBackoffMin + ".." + reconnectBackoffMax
                + ", pingInterval=" + pingInterval + ", maxPendingEvents=" + maxPendingEvents + ", fanoutThreads="
                + fanoutThreads + "]";
    }

    /** The longest a send or connect may block a broadcaster thread. */
    Duration ioBound() {
        return connectTimeout.plus(socketTimeout);
    }
}
