package io.ticketing.core.redis;

import java.util.List;

/**
 * The one thing the {@link RedisTicketStore} asks of Redis: run a script on the keys of one hash tag. One
 * implementation over Jedis ({@link JedisScriptRunner}); tests wrap it to inject faults. Thread-safe.
 */
interface ScriptRunner extends AutoCloseable {

    /**
     * Runs {@code script} with {@code KEYS = [key]} (which routes it to the key's cluster slot) and returns its
     * reply: {@code String}, {@code Long}, {@code List} of those, or null.
     *
     * @throws io.ticketing.core.TicketingException {@code UNAVAILABLE} if Redis cannot be reached or cannot
     *                                              serve now (loading, busy, out of memory, failing over)
     */
    Object run(LuaScript script, String key, List<String> args);

    /**
     * Whether every key lives on one server (no cluster), so that one script may use keys of several hash tags
     * (an event's and a buyer's).
     */
    boolean oneServer();

    /** Closes the connections. */
    @Override
    void close();
}
