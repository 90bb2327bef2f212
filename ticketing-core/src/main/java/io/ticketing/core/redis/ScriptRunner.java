package io.ticketing.core.redis;

import java.util.Arrays;
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
     * Runs {@code first}, then {@code second}, and returns their replies, as two calls of {@link #run} would; for
     * a {@code first} whose only effect may be repeated and whose reply {@code second} does not need. An
     * implementation may send both in one round trip on one connection (Redis then runs them in this order) and,
     * should {@code first} fail there, run it once more after {@code second}. By default, two calls of
     * {@link #run}.
     *
     * @throws io.ticketing.core.TicketingException as {@link #run} does
     */
    default List<Object> runBoth(LuaScript first, String firstKey, List<String> firstArgs, LuaScript second,
                                 String secondKey, List<String> secondArgs) {
        Object firstReply = run(first, firstKey, firstArgs);
        return Arrays.asList(firstReply, run(second, secondKey, secondArgs));
    }

    /** Closes the connections. */
    @Override
    void close();
}
