package io.ticketing.core.redis;

import io.ticketing.core.TicketingException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs scripts with {@code EVALSHA}, and with {@code EVAL} (which caches the script on that server) when the
 * server does not know it yet ({@code NOSCRIPT}: a new, restarted or failed-over server). On one server
 * through a {@link JedisPooled} pool; on a cluster through {@link JedisCluster}, which sends each script to the
 * node that owns its key's slot and follows {@code MOVED} redirections.
 */
final class JedisScriptRunner implements ScriptRunner {
    /** Errors after which the same script may well succeed later: the server cannot serve it now. */
    private static final List<String> TRANSIENT = List.of("LOADING", "BUSY", "OOM", "READONLY", "MASTERDOWN",
            "CLUSTERDOWN", "TRYAGAIN", "NOREPLICAS", "MISCONF");
    /** Attempts of a cluster command across redirections and connection errors (Jedis' default is 5). */
    private static final int CLUSTER_ATTEMPTS = 3;

    private final UnifiedJedis jedis;
    private final RedisEndpoint endpoint;

    /** @throws TicketingException {@code UNAVAILABLE} if this is a cluster none of whose seed nodes answers */
    JedisScriptRunner(RedisEndpoint endpoint, String clientName, Duration connectTimeout, Duration socketTimeout,
                      int maxConnections) {
        this.endpoint = endpoint;
        JedisClientConfig config = endpoint.clientConfig(clientName, connectTimeout, socketTimeout);
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMaxWait(connectTimeout);
        pool.setJmxEnabled(false);
        try {
            this.jedis = endpoint.cluster()
                    ? new JedisCluster(endpoint.nodes(), config, CLUSTER_ATTEMPTS, pool) // reads the slots now
                    : new JedisPooled(pool, endpoint.address(), config);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Object run(LuaScript script, String key, List<String> args) {
        List<String> keys = List.of(key);
        try {
            try {
                return jedis.evalsha(script.sha1(), keys, args);
            } catch (JedisNoScriptException e) {
                return jedis.eval(script.source(), keys, args);
            }
        } catch (JedisException | IllegalStateException e) {
            throw failure(script, e);
        }
    }

    /**
     * On one server, both scripts in one round trip on one connection ({@code EVALSHA} each); a script that
     * failed there because the server does not know it yet is run again alone, {@code first} before
     * {@code second} if both failed, so {@code first} runs after {@code second} only if it alone failed. On a
     * cluster, one after the other (the two keys may live on different nodes).
     */
    @Override
    public List<Object> runBoth(LuaScript first, String firstKey, List<String> firstArgs, LuaScript second,
                                String secondKey, List<String> secondArgs) {
        if (endpoint.cluster()) {
            return ScriptRunner.super.runBoth(first, firstKey, firstArgs, second, secondKey, secondArgs);
        }
        Response<Object> firstReply;
        Response<Object> secondReply;
        try (AbstractPipeline pipeline = (AbstractPipeline) jedis.pipelined()) {
            firstReply = pipeline.evalsha(first.sha1(), List.of(firstKey), firstArgs);
            secondReply = pipeline.evalsha(second.sha1(), List.of(secondKey), secondArgs);
            pipeline.sync();
        } catch (JedisException | IllegalStateException e) {
            throw failure(second, e);
        }
        Object firstResult = null;
        boolean firstRan = true;
        try {
            firstResult = firstReply.get();
        } catch (JedisException e) {
            firstRan = false;
        }
        Object secondResult;
        try {
            secondResult = secondReply.get();
        } catch (JedisNoScriptException e) {
            if (!firstRan) {
                firstResult = run(first, firstKey, firstArgs);
                firstRan = true;
            }
            secondResult = run(second, secondKey, secondArgs);
        } catch (JedisException e) {
            throw failure(second, e);
        }
        if (!firstRan) {
            firstResult = run(first, firstKey, firstArgs);
        }
        return Arrays.asList(firstResult, secondResult);
    }

    /** What a failure of a script's call means for the store: unavailable, or a bug in the script. */
    private RuntimeException failure(LuaScript script, RuntimeException e) {
        if (e instanceof JedisDataException && !(e instanceof JedisNoScriptException)) {
            String message = String.valueOf(e.getMessage());
            if (TRANSIENT.stream().anyMatch(message::startsWith)) {
                return unavailable(e);
            }
            return new IllegalStateException("Redis store script " + script.name() + " failed on " + endpoint + ": "
                    + message, e);
        }
        // connection errors, cluster redirections exhausted, and a pool that is closed or exhausted
        return unavailable(e);
    }

    private TicketingException unavailable(RuntimeException e) {
        return TicketingException.unavailable("the Redis store at " + endpoint + " is unavailable: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        jedis.close();
    }
}
