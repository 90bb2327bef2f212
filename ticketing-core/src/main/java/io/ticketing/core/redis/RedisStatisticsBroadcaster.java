package io.ticketing.core.redis;

import io.ticketing.core.internal.AllEventsFanout;
import io.ticketing.core.internal.NamedThreadFactory;
import io.ticketing.core.internal.Secrets;
import io.ticketing.core.internal.SnapshotUpdate;
import io.ticketing.core.internal.UserFanout;
import io.ticketing.core.memory.InProcessBroadcaster;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.AllEventsListener;
import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.StatisticsLookup;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.UserListener;
import io.ticketing.core.spi.support.LocalFanout;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Carries statistics across nodes over Redis (or Kvrocks) pub/sub: every node publishes the snapshots of
 * its own changes on channel {@code event_state_updates:{eventId}} and receives every other node's on one
 * subscriber connection (the wire format is {@link SnapshotCodec}'s). Build it with {@link #builder()} and hand it to
 * {@code Ticketing.builder().broadcaster(...)}; {@code Ticketing} starts and closes it.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #publish} hands the snapshot to this node's subscribers at once and queues it for Redis; it
 *       never waits for the network. Every snapshot goes to Redis, in version order per event and with its
 *       seat changes, so that other nodes can apply every change, while what waits stays bounded: at most
 *       {@code maxPendingEvents} events, {@link LocalFanout#MAX_WAITING} snapshots of one event and
 *       {@code maxPendingSnapshots} in all (an event keeps at least its newest). Beyond that a snapshot of
 *       one more event is refused, and one more of a waiting event drops that event's oldest; either is
 *       counted in {@link #droppedSnapshots()}, and other nodes see a gap in the event's versions, so their
 *       listeners re-read (see {@link StatisticsListener#onUpdate}).</li>
 *   <li>This node never sends a snapshot whose {@code version} is not newer than the last one it sent for
 *       that event, and its subscribers never receive one older than one they already got. Its own
 *       messages, which Redis echoes back, it recognises by the node id they carry and skips.</li>
 *   <li>While Redis is unreachable, local subscribers still get local changes and {@link #isHealthy()} is
 *       false. The subscriber connection reconnects with exponential backoff and jitter; after every
 *       (re)subscription the current statistics of every event with local subscribers are read again from
 *       the {@link StatisticsLookup} and delivered, so subscribers converge on the true state although
 *       pub/sub dropped what was published meanwhile. Unsent snapshots of this node go out once Redis is
 *       back.</li>
 *   <li>{@link #close()} sends what is still pending (one attempt), stops every thread it started and
 *       closes every connection.</li>
 * </ul>
 *
 * <p>Why one {@code PSUBSCRIBE event_state_updates:*} per node rather than a {@code SUBSCRIBE} per event
 * with local subscribers: the subscription is complete the moment the node is connected, so there is no
 * window between a local subscribe and its Redis subscription in which changes would be lost, and no
 * subscribe/unsubscribe traffic as streams come and go. The cost is that every node receives every
 * event's snapshots (about 1 KB per change), which is small next to what the node sends to its SSE
 * clients.
 *
 * <p>On the hot path only {@code PUBLISH}, {@code PSUBSCRIBE} and {@code PING} are used (plus
 * {@code AUTH}, {@code SELECT} and {@code CLIENT SETNAME} when connecting), all of which Kvrocks serves.
 *
 * <p>Threads, all daemons named after {@code clientName}: {@code ticketing-redis-sub-<name>} (the
 * subscriber connection), {@code ticketing-redis-pub-<name>} (sends to Redis),
 * {@code ticketing-redis-heal-<name>} (liveness pings, re-reading statistics) and
 * {@code fanoutThreads} × {@code ticketing-redis-fanout-<name>} (call listeners).
 */
public final class RedisStatisticsBroadcaster implements StatisticsBroadcaster {
    private static final Logger log = LoggerFactory.getLogger(RedisStatisticsBroadcaster.class);

    private enum State { NEW, STARTED, CLOSED }

    private static final int MAX_PENDING_USER_UPDATES = 10_000;

    private final Settings settings;
    /** Tags this node's messages, so that it skips them when Redis echoes them back; random per instance. */
    private final String nodeId = UUID.randomUUID().toString();
    private final LocalFanout fanout;
    private final UserFanout users = new UserFanout();
    private final AllEventsFanout all = new AllEventsFanout();
    private final UserUpdateCodec userCodec;
    private final ListingChangeCodec listingCodec;
    /**
     * Sends users' updates and listing changes to Redis, in order, at most {@value #MAX_PENDING_USER_UPDATES}
     * waiting.
     */
    private final ThreadPoolExecutor userPublisher;
    private final PendingSnapshots pending;
    private final SnapshotCodec codec;
    private final JedisPool pool;
    private final SnapshotPublisher publisher;
    private final SnapshotSubscriber subscriber;
    private final Thread publisherThread;
    private final Thread subscriberThread;
    private final ScheduledThreadPoolExecutor healer;
    private final Backoff healBackoff;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicBoolean healQueued = new AtomicBoolean();
    private final AtomicBoolean healRetryScheduled = new AtomicBoolean();
    private volatile StatisticsLookup lookup;

    private RedisStatisticsBroadcaster(Settings settings) {
        this.settings = settings;
        this.fanout = new LocalFanout(settings.fanoutThreads(), "ticketing-redis-fanout-" + settings.clientName());
        this.pending = new PendingSnapshots(settings.maxPendingEvents(), LocalFanout.MAX_WAITING,
                settings.maxPendingSnapshots());
        this.codec = new SnapshotCodec(settings.channelPrefix(), nodeId);
        this.pool = new JedisPool(poolConfig(settings), settings.address(), settings.clientConfig("pub"));
        this.publisher = new SnapshotPublisher(pending, pool, settings.address(), codec, backoff(settings));
        this.userCodec = new UserUpdateCodec(settings.channelPrefix(), nodeId);
        this.listingCodec = new ListingChangeCodec(settings.channelPrefix(), nodeId);
        this.userPublisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING_USER_UPDATES),
                new NamedThreadFactory("ticketing-redis-user-" + settings.clientName()),
                (task, executor) -> log.warn("A user update or listing change was not sent to Redis: {} are already "
                        + "waiting; the streams on other nodes catch up when they reconnect", MAX_PENDING_USER_UPDATES));
        this.subscriber = new SnapshotSubscriber(settings.address(), settings.clientConfig("sub"), codec,
                u -> {
                    fanout.deliver(u.statistics(), u.seatChanges());
                    all.statistics(u.statistics());
                }, userCodec, users::deliver, listingCodec, all::listingChanged,
                this::requestHeal, backoff(settings),
                settings.pingInterval());
        this.publisherThread = new NamedThreadFactory("ticketing-redis-pub-" + settings.clientName()).newThread(publisher);
        this.subscriberThread = new NamedThreadFactory("ticketing-redis-sub-" + settings.clientName()).newThread(subscriber);
        this.healer = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("ticketing-redis-heal-" + settings.clientName()));
        this.healer.setRemoveOnCancelPolicy(true);
        this.healer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.healBackoff = backoff(settings);
    }

    /** A builder with the defaults documented on each setting. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to Redis in the background and starts the threads; returns at once. Subscribers converge
     * through {@code lookup} after every (re)connect.
     *
     * @throws IllegalStateException if called twice or after {@link #close()}
     */
    @Override
    public void start(StatisticsLookup lookup) {
        start(lookup, MetricsTracker.none());
    }

    /**
     * {@link #start(StatisticsLookup)}, reporting every publish round trip to Redis
     * ({@link MetricsTracker#relayed}) and every subscription after the first
     * ({@link MetricsTracker#pubSubReconnected}) to {@code metrics}.
     */
    @Override
    public void start(StatisticsLookup lookup, MetricsTracker metrics) {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(metrics, "metrics");
        if (!state.compareAndSet(State.NEW, State.STARTED)) {
            throw new IllegalStateException("RedisStatisticsBroadcaster can be started once, it is " + state.get());
        }
        this.lookup = lookup;
        publisher.track(metrics);
        subscriber.track(metrics);
        subscriberThread.start();
        publisherThread.start();
        long ping = settings.pingInterval().toNanos();
        healer.scheduleWithFixedDelay(subscriber::checkLiveness, ping, ping, TimeUnit.NANOSECONDS);
        log.info("Redis statistics broadcaster {} started: {} channels {}", settings.clientName(),
                JedisURIHelper.getHostAndPort(settings.redisUri()), codec.pattern());
    }

    /** Delivers to this node's subscribers now and queues the snapshot for the other nodes; O(1), never blocks. */
    @Override
    public void publish(EventStatistics statistics) {
        publish(statistics, null);
    }

    /**
     * {@link #publish(EventStatistics)} with the snapshot's seat changes, which reach the listeners of every
     * node (unless dropped with their snapshot when more wait for a slow or absent Redis than the bounds
     * allow).
     */
    @Override
    public void publish(EventStatistics statistics, @Nullable List<SeatChange> seatChanges) {
        Objects.requireNonNull(statistics, "statistics");
        if (state.get() == State.CLOSED) {
            return;
        }
        SnapshotUpdate update = new SnapshotUpdate(statistics, seatChanges);
        fanout.deliver(statistics, seatChanges);
        all.statistics(statistics);
        if (!pending.offer(update)) {
            long dropped = pending.dropped();
            if (Long.bitCount(dropped) == 1) { // 1st, 2nd, 4th, 8th … drop: visible without flooding the log
                log.warn("{} statistics snapshots not sent to Redis so far: more were waiting for it than maxPendingEvents"
                        + " ({}) or maxPendingSnapshots ({}) allow; other nodes re-read those events", dropped,
                        settings.maxPendingEvents(), settings.maxPendingSnapshots());
            }
        }
    }

    /** Listener calls come from this node's fan-out threads, with the guarantees of {@link StatisticsListener}. */
    @Override
    public Subscription subscribe(long eventId, StatisticsListener listener) {
        Objects.requireNonNull(listener, "listener");
        return fanout.subscribe(eventId, listener);
    }

    /**
     * Delivers to this node's subscribers of the user now (on the calling thread) and sends the update to the
     * other nodes from a background thread, in order; never waits for the network. An update that cannot be
     * sent (Redis down) is logged and dropped: the other nodes' subscribers get {@link UserListener#onGap()}
     * once they are subscribed again.
     */
    @Override
    public void publish(UserUpdate update) {
        Objects.requireNonNull(update, "update");
        if (state.get() == State.CLOSED) {
            return;
        }
        users.deliver(update);
        send(userCodec.channel(update.user()), userCodec.encode(update));
    }

    /** Listener calls come from the publishing thread (this node's updates) or the subscriber thread. */
    @Override
    public Subscription subscribe(User user, UserListener listener) {
        Objects.requireNonNull(listener, "listener");
        return users.subscribe(user, listener);
    }

    /**
     * Calls this node's listeners of all events now (on the calling thread) and sends the change to the other
     * nodes as {@link #publish(UserUpdate)} sends a user's update; one that cannot be sent is logged and
     * dropped, and the other nodes' listeners get {@link AllEventsListener#onGap()} once they are subscribed
     * again.
     */
    @Override
    public void publishListingChanged(long eventId) {
        if (state.get() == State.CLOSED) {
            return;
        }
        all.listingChanged(eventId);
        send(listingCodec.channel(), listingCodec.encode(eventId));
    }

    /**
     * Listener calls come from the publishing thread (this node's snapshots and listing changes) or the
     * subscriber thread (other nodes').
     */
    @Override
    public Subscription subscribeAll(AllEventsListener listener) {
        Objects.requireNonNull(listener, "listener");
        return all.subscribe(listener);
    }

    /** Publishes one message from the background thread, in order; never waits for the network. */
    private void send(String channel, String message) {
        userPublisher.execute(() -> {
            try (Jedis jedis = pool.getResource()) {
                jedis.publish(channel, message);
            } catch (RuntimeException e) {
                log.debug("Could not send a message to Redis on {}: {}", channel, e.toString());
            }
        });
    }

    /** True while subscribed to Redis and the last attempt to publish (if any) succeeded. */
    @Override
    public boolean isHealthy() {
        return state.get() == State.STARTED && subscriber.isSubscribed() && !publisher.isFailing();
    }

    /**
     * Snapshots not sent to Redis because more were waiting than {@code maxPendingEvents} or
     * {@code maxPendingSnapshots} allow.
     */
    public long droppedSnapshots() {
        return pending.dropped();
    }

    /** The id this node's messages carry. */
    String nodeId() {
        return nodeId;
    }

    /** How many events have a snapshot waiting to be sent to Redis; never more than {@code maxPendingEvents}. */
    int pendingEvents() {
        return pending.size();
    }

    /** Idempotent; see the class documentation. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        healer.shutdownNow();
        if (previous == State.STARTED) {
            subscriber.closing(subscriberThread);
            publisher.closing();
            publisherThread.interrupt();
            long bound = settings.ioBound().plusSeconds(1).toMillis();
            join(subscriberThread, bound);
            join(publisherThread, bound);
            try {
                healer.awaitTermination(bound, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        userPublisher.shutdown();
        try {
            userPublisher.awaitTermination(settings.ioBound().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        userPublisher.shutdownNow();
        fanout.close();
        pool.close();
        log.info("Redis statistics broadcaster {} closed", settings.clientName());
    }

    /** Re-reads and delivers every locally subscribed event, at most one run queued at a time. */
    private void requestHeal() {
        if (healQueued.compareAndSet(false, true)) {
            try {
                healer.execute(this::heal);
            } catch (RejectedExecutionException e) {
                healQueued.set(false); // closed
            }
        }
    }

    /**
     * Stops at the first failed lookup (the store is likely down: no point timing out once per event) and
     * tries the whole round again after a backoff; delivering an unchanged snapshot twice is harmless.
     */
    private void heal() {
        healQueued.set(false);
        users.gap();
        all.gap();
        for (long eventId : fanout.subscribedEvents()) {
            try {
                lookup.current(eventId).ifPresent(fanout::deliver); // seat changes unknown: seat maps are re-read
            } catch (RuntimeException e) {
                scheduleHealRetry(eventId, e);
                return;
            }
        }
        healBackoff.reset();
    }

    private void scheduleHealRetry(long eventId, RuntimeException failure) {
        Duration retry = healBackoff.next();
        log.warn("Could not re-read statistics of event {} after connecting to Redis; retrying in {} ms",
                eventId, retry.toMillis(), failure);
        if (healRetryScheduled.compareAndSet(false, true)) {
            try {
                healer.schedule(() -> {
                    healRetryScheduled.set(false);
                    requestHeal();
                }, retry.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                healRetryScheduled.set(false); // closed
            }
        }
    }

    private void join(Thread thread, long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Thread {} did not stop within {} ms", thread.getName(), millis);
        }
    }

    private static Backoff backoff(Settings settings) {
        return new Backoff(settings.reconnectBackoffMin(), settings.reconnectBackoffMax());
    }

    /** One connection for the one publisher thread; no evictor thread, no JMX registration. */
    private static GenericObjectPoolConfig<Jedis> poolConfig(Settings settings) {
        GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(1);
        config.setMaxIdle(1);
        config.setMinIdle(0);
        config.setMaxWait(settings.connectTimeout());
        config.setJmxEnabled(false);
        return config;
    }

    /**
     * The broadcaster's settings, each with a working default; {@link #build()} validates them all and
     * names the first one out of range.
     */
    public static final class Builder {
        public static final URI DEFAULT_REDIS_URI = URI.create("redis://127.0.0.1:6379");
        public static final String DEFAULT_CHANNEL_PREFIX = "event_state_updates:";
        public static final String DEFAULT_CLIENT_NAME = "ticketing";
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
        public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(2);
        public static final Duration DEFAULT_RECONNECT_BACKOFF_MIN = Duration.ofMillis(100);
        public static final Duration DEFAULT_RECONNECT_BACKOFF_MAX = Duration.ofSeconds(2);
        public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);
        public static final int DEFAULT_MAX_PENDING_EVENTS = 10_000;
        public static final int DEFAULT_MAX_PENDING_SNAPSHOTS = 65_536;
        public static final int DEFAULT_FANOUT_THREADS = InProcessBroadcaster.DEFAULT_THREADS;

        private static final Pattern CHANNEL_PREFIX = Pattern.compile("[^*?\\[\\]\\\\\\s]{1,100}");

        private URI redisUri = DEFAULT_REDIS_URI;
        private String channelPrefix = DEFAULT_CHANNEL_PREFIX;
        private String clientName = DEFAULT_CLIENT_NAME;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private Duration reconnectBackoffMin = DEFAULT_RECONNECT_BACKOFF_MIN;
        private Duration reconnectBackoffMax = DEFAULT_RECONNECT_BACKOFF_MAX;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private int maxPendingEvents = DEFAULT_MAX_PENDING_EVENTS;
        private int maxPendingSnapshots = DEFAULT_MAX_PENDING_SNAPSHOTS;
        private int fanoutThreads = DEFAULT_FANOUT_THREADS;

        private Builder() {
        }

        /**
         * The server: {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://} for TLS.
         * Default {@code redis://127.0.0.1:6379}.
         */
        public Builder redisUri(URI redisUri) {
            this.redisUri = Objects.requireNonNull(redisUri, "redisUri");
            return this;
        }

        /**
         * {@link #redisUri(URI)} from a string.
         *
         * @throws IllegalArgumentException if it is not a URI; the message masks any password in it
         */
        public Builder redisUri(String redisUri) {
            Objects.requireNonNull(redisUri, "redisUri");
            try {
                return redisUri(new URI(redisUri));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("redisUri is not a URI (" + e.getReason() + " at index "
                        + e.getIndex() + "): " + Secrets.maskUrl(redisUri));
            }
        }

        /**
         * Channels are {@code <prefix><eventId>}; every node of one deployment must use the same prefix.
         * 1 to 100 characters without whitespace or {@code * ? [ ] \}. Default {@code event_state_updates:}.
         */
        public Builder channelPrefix(String channelPrefix) {
            this.channelPrefix = Objects.requireNonNull(channelPrefix, "channelPrefix");
            return this;
        }

        /**
         * Names this node's connections ({@code <name>:sub}, {@code <name>:pub} in {@code CLIENT LIST}) and
         * threads; use the node's name. 1 to 64 of {@code [A-Za-z0-9._:-]}. Default {@code ticketing}.
         */
        public Builder clientName(String clientName) {
            this.clientName = Objects.requireNonNull(clientName, "clientName");
            return this;
        }

        /** How long connecting may take: 10 ms to 1 minute, default 2 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long a publish round trip may take before the connection counts as broken: 10 ms to 1 minute, default 2 s. */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = Objects.requireNonNull(socketTimeout, "socketTimeout");
            return this;
        }

        /**
         * Reconnect and retry delays grow from {@code min} to {@code max}, each randomised down to half; a
         * node is back at most about {@code max} after Redis is. Min 1 ms to 10 s (default 100 ms), max from
         * min to 5 minutes (default 2 s).
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            this.reconnectBackoffMin = Objects.requireNonNull(min, "reconnectBackoff min");
            this.reconnectBackoffMax = Objects.requireNonNull(max, "reconnectBackoff max");
            return this;
        }

        /**
         * An idle subscriber connection is pinged this often, and replaced when a ping stays unanswered for
         * an interval (a half-open connection is detected within about three intervals): 100 ms to 5
         * minutes, default 5 s.
         */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = Objects.requireNonNull(pingInterval, "pingInterval");
            return this;
        }

        /** How many events may have snapshots waiting to be sent to Redis: 1 to 1,000,000, default 10,000. */
        public Builder maxPendingEvents(int maxPendingEvents) {
            this.maxPendingEvents = maxPendingEvents;
            return this;
        }

        /**
         * How many snapshots may wait to be sent to Redis, over all events: 1 to 10,000,000, default 65,536
         * (a few KB each). Past it, each further snapshot of an event drops that event's oldest waiting one;
         * an event keeps at least its newest.
         */
        public Builder maxPendingSnapshots(int maxPendingSnapshots) {
            this.maxPendingSnapshots = maxPendingSnapshots;
            return this;
        }

        /** Threads that call this node's listeners; one event's listeners are called by one at a time: 1 to 64, default 2. */
        public Builder fanoutThreads(int fanoutThreads) {
            this.fanoutThreads = fanoutThreads;
            return this;
        }

        /**
         * A broadcaster that connects when started; nothing is connected before.
         *
         * @throws IllegalArgumentException naming the setting that is out of range and what is allowed
         */
        public RedisStatisticsBroadcaster build() {
            if (!JedisURIHelper.isValid(redisUri)
                    || !(JedisURIHelper.isRedisScheme(redisUri) || JedisURIHelper.isRedisSSLScheme(redisUri))) {
                throw new IllegalArgumentException("redisUri must look like redis://host:port[/database] or rediss://…, was "
                        + redisUri.getScheme() + "://" + redisUri.getHost() + ":" + redisUri.getPort());
            }
            if (!CHANNEL_PREFIX.matcher(channelPrefix).matches()) {
                throw new IllegalArgumentException("channelPrefix must be 1 to 100 characters without whitespace or * ? [ ] \\, was '"
                        + channelPrefix + "'");
            }
            SettingChecks.clientName(clientName);
            SettingChecks.between("connectTimeout", connectTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
            SettingChecks.between("socketTimeout", socketTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
            SettingChecks.between("reconnectBackoff min", reconnectBackoffMin, Duration.ofMillis(1), Duration.ofSeconds(10));
            SettingChecks.between("reconnectBackoff max", reconnectBackoffMax, reconnectBackoffMin, Duration.ofMinutes(5));
            SettingChecks.between("pingInterval", pingInterval, Duration.ofMillis(100), Duration.ofMinutes(5));
            SettingChecks.between("maxPendingEvents", maxPendingEvents, 1, 1_000_000);
            SettingChecks.between("maxPendingSnapshots", maxPendingSnapshots, 1, 10_000_000);
            SettingChecks.between("fanoutThreads", fanoutThreads, 1, 64);
            return new RedisStatisticsBroadcaster(new Settings(redisUri, channelPrefix, clientName, connectTimeout,
                    socketTimeout, reconnectBackoffMin, reconnectBackoffMax, pingInterval, maxPendingEvents, maxPendingSnapshots,
                    fanoutThreads));
        }
    }
}
