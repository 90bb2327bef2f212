package io.ticketing.core.redis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where a Redis (or Kvrocks) server or cluster is, and how to log in, parsed from a URL:
 * <ul>
 *   <li>{@code redis://[[user]:password@]host[:port][/database]} — one server, as Jedis reads it;
 *       {@code rediss://} for TLS;</li>
 *   <li>{@code redis-cluster://[[user]:password@]host1:port1,host2:port2,…} — a Redis Cluster by some of its
 *       nodes (the seeds; the client discovers the others); {@code rediss-cluster://} for TLS. No database
 *       number: a cluster has only database 0.</li>
 * </ul>
 * A user or password with reserved characters is percent-encoded. {@link #toString()} masks the password.
 */
record RedisEndpoint(boolean cluster, Set<HostAndPort> nodes, String user, String password, int database,
                     boolean ssl, String masked) {
    private static final int DEFAULT_PORT = 6379;

    /** @throws IllegalArgumentException naming what is wrong, without the password */
    static RedisEndpoint parse(String url) {
        int schemeEnd = url.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd);
        switch (scheme) {
            case "redis", "rediss" -> {
                return single(URI.create(url));
            }
            case "redis-cluster", "rediss-cluster" -> {
                return cluster(scheme, url.substring(schemeEnd + 3));
            }
            default -> throw new IllegalArgumentException("a Redis URL starts with redis://, rediss://, redis-cluster:// or "
                    + "rediss-cluster://, was " + mask(url));
        }
    }

    /** The endpoint of one server given as a URI that Jedis reads. */
    static RedisEndpoint single(URI uri) {
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the Redis URL has no host: " + mask(uri.toString()));
        }
        HostAndPort address = JedisURIHelper.getHostAndPort(uri);
        return new RedisEndpoint(false, Set.of(address), JedisURIHelper.getUser(uri), JedisURIHelper.getPassword(uri),
                JedisURIHelper.getDBIndex(uri), JedisURIHelper.isRedisSSLScheme(uri), mask(uri.toString()));
    }

    private static RedisEndpoint cluster(String scheme, String rest) {
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String hosts = at < 0 ? rest : rest.substring(at + 1);
        if (hosts.endsWith("/") || hosts.endsWith("/0")) {
            hosts = hosts.substring(0, hosts.lastIndexOf('/'));
        }
        String masked = scheme + "://" + (userInfo == null ? "" : maskUserInfo(userInfo) + "@") + hosts;
        if (hosts.contains("/") || hosts.contains("?")) {
            throw new IllegalArgumentException("a Redis Cluster URL names nodes only (a cluster has no database "
                    + "number): " + masked);
        }
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String node : hosts.split(",")) {
            int colon = node.lastIndexOf(':');
            String host = colon < 0 ? node : node.substring(0, colon);
            if (host.isEmpty()) {
                throw new IllegalArgumentException("a Redis Cluster URL needs host:port,host:port…, was " + masked);
            }
            try {
                int port = colon < 0 ? DEFAULT_PORT : Integer.parseInt(node.substring(colon + 1));
                nodes.add(new HostAndPort(host, port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in Redis Cluster URL " + masked);
            }
        }
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("a Redis URL's credentials are [user]:password@, was " + masked);
            }
            user = colon == 0 ? null : decode(userInfo.substring(0, colon));
            password = decode(userInfo.substring(colon + 1));
        }
        return new RedisEndpoint(true, Set.copyOf(nodes), user, password, 0, scheme.equals("rediss-cluster"), masked);
    }

    /** Connection settings for one connection (or a pool's), named {@code clientName} in {@code CLIENT LIST}. */
    JedisClientConfig clientConfig(String clientName, Duration connectTimeout, Duration socketTimeout) {
        // Jedis' CLIENT SETINFO handshake is off: Kvrocks does not serve it.
        return DefaultJedisClientConfig.builder()
                .user(user)
                .password(password)
                .database(database)
                .ssl(ssl)
                .clientName(clientName)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .connectionTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
                .socketTimeoutMillis(Math.toIntExact(socketTimeout.toMillis()))
                .build();
    }

    /** The one server's address; for a cluster, its first seed. */
    HostAndPort address() {
        return nodes.iterator().next();
    }

    /** The URL with its password replaced by {@code ****}. */
    @Override
    public String toString() {
        return masked;
    }

    /** {@code url} with the password of its user info, if any, replaced by {@code ****}. */
    static String mask(String url) {
        int schemeEnd = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd) {
            return url;
        }
        return url.substring(0, schemeEnd + 3) + maskUserInfo(url.substring(schemeEnd + 3, at)) + url.substring(at);
    }

    private static String maskUserInfo(String userInfo) {
        int colon = userInfo.indexOf(':');
        return colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
