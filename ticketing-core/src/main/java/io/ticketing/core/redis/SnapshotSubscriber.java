package io.ticketing.core.redis;

import io.ticketing.core.internal.SnapshotUpdate;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.model.UserUpdate;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;

/**
 * The subscriber thread's loop: holds this node's one pub/sub connection, {@code PSUBSCRIBE}d to every
 * event channel, and hands each snapshot of another node to {@code sink}; this node's own messages, which
 * Redis echoes back, it skips unparsed. When the connection breaks it reconnects with backoff; after every successful subscription it calls {@code onSubscribed}, because anything published
 * while it was away is lost. {@link #checkLiveness} (called periodically from another thread) sends
 * {@code PING} on an idle connection and drops a connection that leaves it unanswered, so a half-open
 * TCP connection cannot leave the node deaf.
 */
final class SnapshotSubscriber implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotSubscriber.class);

    private final HostAndPort address;
    private final JedisClientConfig config;
    private final SnapshotCodec codec;
    private final Consumer<SnapshotUpdate> sink;
    private final UserUpdateCodec userCodec;
    private final Consumer<UserUpdate> userSink;
    private final ListingChangeCodec listingCodec;
    private final LongConsumer listingSink;
    private final Runnable onSubscribed;
    private final Backoff backoff;
    private final long pingIntervalNanos;

    private volatile Jedis connection;
    private volatile Listener listener;
    private volatile boolean closing;
    /** Set before the thread starts. */
    private MetricsTracker metrics = MetricsTracker.none();
    /** Whether a subscription was confirmed before; touched only by the subscriber thread. */
    private boolean subscribedBefore;

    SnapshotSubscriber(HostAndPort address, JedisClientConfig config, SnapshotCodec codec,
                       Consumer<SnapshotUpdate> sink, UserUpdateCodec userCodec, Consumer<UserUpdate> userSink,
                       ListingChangeCodec listingCodec, LongConsumer listingSink,
                       Runnable onSubscribed, Backoff backoff, Duration pingInterval) {
        this.listingCodec = listingCodec;
        this.listingSink = listingSink;
        this.userCodec = userCodec;
        this.userSink = userSink;
        this.address = address;
        this.config = config;
        this.codec = codec;
        this.sink = sink;
        this.onSubscribed = onSubscribed;
        this.backoff = backoff;
        this.pingIntervalNanos = pingInterval.toNanos();
    }

    /** Reports every subscription after the first to {@code metrics}; call before the thread starts. */
    void track(MetricsTracker metrics) {
        this.metrics = metrics;
    }

    /** Whether the subscription is in place now, i.e. snapshots from other nodes arrive. */
    boolean isSubscribed() {
        Listener l = listener;
        return l != null && l.subscribed;
    }

    @Override
    public void run() {
        boolean outage = false;
        while (!closing) {
            Listener l = new Listener();
            try (Jedis jedis = new Jedis(address, config)) {
                connection = jedis;
                listener = l;
                if (!closing) {
                    jedis.psubscribe(l, codec.pattern()); // returns or throws when the connection ends
                }
            } catch (RuntimeException e) { // JedisException mostly; anything else must not kill the thread either
                if (!closing && (!outage || l.subscribed)) {
                    log.warn("Redis subscription to {} is down: {}; reconnecting with backoff, healing from the store after",
                            codec.pattern(), RedisFailures.describe(e, address));
                } else {
                    log.debug("Redis subscription attempt failed: {}", RedisFailures.describe(e, address));
                }
            } finally {
                connection = null;
                listener = null;
            }
            outage = true;
            if (l.subscribed && System.nanoTime() - l.subscribedAt >= backoff.max().toNanos()) {
                backoff.reset(); // it was stable: a single drop reconnects fast, flapping backs off
            }
            if (!closing) {
                pause(backoff.next());
            }
        }
    }

    /**
     * Pings a connection that was idle for an interval; drops one that left a ping unanswered for an
     * interval. Any thread, at any pace (a late call only delays detection); never throws.
     */
    void checkLiveness() {
        Listener l = listener;
        Jedis c = connection;
        if (l == null || c == null || !l.subscribed) {
            return;
        }
        long now = System.nanoTime();
        long pingSentAt = l.pingSentAt;
        if (pingSentAt != 0 && l.lastHeard - pingSentAt < 0 && now - pingSentAt > pingIntervalNanos) {
            log.warn("Redis subscription did not answer a PING within {} ms; reconnecting", pingIntervalNanos / 1_000_000);
            disconnect(c);
        } else if (now - l.lastHeard >= pingIntervalNanos && (pingSentAt == 0 || l.lastHeard - pingSentAt >= 0)) {
            try {
                l.pingSentAt = now;
                l.ping();
            } catch (RuntimeException e) {
                disconnect(c);
            }
        }
    }

    /** Ends the loop: drops the connection and wakes the thread; the caller then joins it. */
    void closing(Thread thread) {
        closing = true;
        Jedis c = connection;
        if (c != null) {
            disconnect(c);
        }
        thread.interrupt();
    }

    /** Closes the socket under the subscriber thread, which then fails its read and reconnects or exits. */
    private static void disconnect(Jedis c) {
        try {
            c.disconnect();
        } catch (RuntimeException e) {
            log.debug("Closing the Redis subscriber connection: {}", e.getMessage());
        }
    }

    private void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            // close() wakes us up; the loop sees closing
        }
    }

    private final class Listener extends JedisPubSub {
        volatile boolean subscribed;
        /** {@code System.nanoTime()} of the subscription's confirmation. */
        volatile long subscribedAt;
        /** {@code System.nanoTime()} of the last message, confirmation or pong. */
        volatile long lastHeard;
        /** {@code System.nanoTime()} of the last PING sent; 0 before the first. */
        volatile long pingSentAt;
        private boolean warnedMalformed;

        @Override
        public void onPSubscribe(String pattern, int subscribedChannels) {
            long now = System.nanoTime();
            lastHeard = now;
            subscribedAt = now;
            subscribed = true;
            log.info("Subscribed to Redis channels {}", pattern);
            if (subscribedBefore) {
                metrics.pubSubReconnected();
            }
            subscribedBefore = true;
            onSubscribed.run();
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            lastHeard = System.nanoTime();
            if (codec.isOwn(message)) {
                return; // this node delivered it to its listeners when it published it
            }
            if (userCodec.isUserChannel(channel)) {
                try {
                    userSink.accept(userCodec.decode(channel, message));
                } catch (IllegalArgumentException e) {
                    log.debug("Ignoring a message on {}: {}", channel, e.getMessage());
                }
                return;
            }
            if (listingCodec.isListingChannel(channel)) {
                try {
                    listingSink.accept(listingCodec.decode(message));
                } catch (IllegalArgumentException e) {
                    log.debug("Ignoring a message on {}: {}", channel, e.getMessage());
                }
                return;
            }
            SnapshotUpdate update;
            try {
                update = codec.decode(channel, message);
            } catch (IllegalArgumentException e) {
                if (!warnedMalformed) {
                    warnedMalformed = true;
                    log.warn("Ignoring a message on {} that is not a statistics snapshot ({}); further ones are logged at debug",
                            channel, e.getMessage());
                } else {
                    log.debug("Ignoring a message on {}: {}", channel, e.getMessage());
                }
                return;
            }
            sink.accept(update);
        }

        @Override
        public void onPong(String pattern) {
            lastHeard = System.nanoTime();
        }
    }
}
