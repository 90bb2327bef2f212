package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.StatisticsService;
import io.ticketing.core.internal.NamedThreadFactory;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.model.User;
import io.ticketing.servlet.ConnectionStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's streams: admission against the caps, one {@link EventDispatcher} per streamed event, the
 * writer threads that deliver updates, the single scheduler thread that sends heartbeats and drops slow
 * clients, the delivery counters (its own, and the host's {@link MetricsTracker}) and the graceful shutdown.
 * Thread-safe.
 */
public final class StreamHub {
    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    private final StatisticsService statistics;
    private final ObjectMapper mapper;
    private final HttpLimits limits;
    private final MetricsTracker metrics;
    private final byte[] retryFrame;
    private final StreamIds ids;
    private final SharedChangeReads changeReads = new SharedChangeReads();
    private final Set<SseConnection> connections = ConcurrentHashMap.newKeySet();
    /** The streams that are no {@link SseConnection}: {@code GET /me/stream}, {@code GET /stream?all=true}. */
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final List<Runnable> shutdownHooks = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<Long, EventDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<User, Integer> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private final LongAdder conflated = new LongAdder();
    private final LongAdder slowClientsDropped = new LongAdder();
    private final AtomicBoolean shutdown = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService writers;

    public StreamHub(StatisticsService statistics, ObjectMapper mapper, HttpLimits limits, MetricsTracker metrics) {
        this.statistics = statistics;
        this.mapper = mapper;
        this.limits = limits;
        this.metrics = metrics;
        this.retryFrame = SseFrameEncoder.retry(limits.reconnectDelay().toMillis());
        this.ids = new StreamIds(statistics.epoch());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("ticketing-sse-ticker"));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = executor;
        long period = tickPeriodNanos(limits);
        scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        this.writers = Executors.newFixedThreadPool(limits.writerThreads(), new NamedThreadFactory("ticketing-sse-writer"));
    }

    /** A fifth of the shorter of heartbeat interval and slow-client timeout, at least 5 ms. */
    private static long tickPeriodNanos(HttpLimits limits) {
        Duration shorter = limits.heartbeatInterval().compareTo(limits.slowClientTimeout()) < 0
                ? limits.heartbeatInterval() : limits.slowClientTimeout();
        return Math.max(TimeUnit.MILLISECONDS.toNanos(5), shorter.toNanos() / 5);
    }

    boolean isShutdown() {
        return shutdown.get();
    }

    /**
     * Takes one stream slot for {@code owner}; false if the node, the owner's address or its user (if any) is
     * at its cap, having taken nothing.
     */
    boolean tryAdmit(StreamOwner owner) {
        if (open.incrementAndGet() > limits.maxStreams()) {
            open.decrementAndGet();
            return false;
        }
        if (!take(perAddress, owner.address(), limits.maxStreamsPerAddress())) {
            open.decrementAndGet();
            return false;
        }
        if (owner.user() != null && !take(perUser, owner.user(), limits.maxStreamsPerUser())) {
            give(perAddress, owner.address());
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a slot taken by {@link #tryAdmit} for a stream that never started. */
    void release(StreamOwner owner) {
        give(perAddress, owner.address());
        if (owner.user() != null) {
            give(perUser, owner.user());
        }
        open.decrementAndGet();
    }

    private static <K> boolean take(ConcurrentHashMap<K, Integer> counts, K key, int cap) {
        boolean[] taken = {false};
        counts.compute(key, (k, count) -> {
            int n = count == null ? 0 : count;
            if (n >= cap) {
                return count;
            }
            taken[0] = true;
            return n + 1;
        });
        return taken[0];
    }

    private static <K> void give(ConcurrentHashMap<K, Integer> counts, K key) {
        counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    /**
     * Registers an admitted stream with the dispatcher of each of its events (subscribing where it is the
     * first) and returns them, in the order of its events. Subscribing first and reading the current
     * snapshots afterwards means no change is missed in between.
     */
    List<EventDispatcher> attach(SseConnection connection) {
        connections.add(connection);
        metrics.streamOpened();
        List<EventDispatcher> attached = new ArrayList<>();
        for (EventSubscription subscription : connection.subscriptions()) {
            attached.add(attach(subscription));
        }
        if (shutdown.get()) {
            connection.closeGracefully();
        }
        return attached;
    }

    private EventDispatcher attach(EventSubscription subscription) {
        while (true) {
            EventDispatcher dispatcher = dispatchers.computeIfAbsent(subscription.eventId(),
                    id -> new EventDispatcher(id, mapper, ids, statistics, writers, limits.writerThreads(),
                            limits.newPacer(), scheduler));
            if (dispatcher.add(subscription)) {
                return dispatcher;
            }
            dispatchers.remove(subscription.eventId(), dispatcher);
        }
    }

    /** Forgets a stream (called once per stream when it ends, however it ends). */
    void remove(SseConnection connection) {
        if (!connections.remove(connection)) {
            return;
        }
        metrics.streamClosed();
        for (EventSubscription subscription : connection.subscriptions()) {
            EventDispatcher dispatcher = dispatchers.get(subscription.eventId());
            if (dispatcher != null && dispatcher.remove(subscription)) {
                dispatchers.remove(subscription.eventId(), dispatcher);
            }
        }
        release(connection.owner());
    }

    /** Registers an admitted {@link SseStream}; closes it at once if the hub is shutting down. */
    void attach(SseStream stream) {
        streams.add(stream);
        if (shutdown.get()) {
            stream.closeGracefully();
        }
    }

    /** Forgets an {@link SseStream} (once, however it ends) and gives back its slot. */
    void remove(SseStream stream) {
        if (streams.remove(stream)) {
            release(stream.owner());
        }
    }

    /** Runs {@code hook} once when the hub shuts down, after its streams closed. */
    void onShutdown(Runnable hook) {
        shutdownHooks.add(hook);
    }

    /** The writer threads: what has streams write runs there, never on a broadcaster's thread. */
    Executor writers() {
        return writers;
    }

    /** How many writer threads there are. */
    int writerThreads() {
        return limits.writerThreads();
    }

    /** Runs {@code task} on the shared scheduler after {@code delay}; nothing if the hub is shut down. */
    void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.trace("Not scheduled: the streams are shut down");
        }
    }

    /** The change-log reads of resuming streams, shared while identical ones run at once. */
    SharedChangeReads changeReads() {
        return changeReads;
    }

    /** How this node's streams name versions. */
    StreamIds ids() {
        return ids;
    }

    byte[] retryFrame() {
        return retryFrame;
    }

    /** A stream wrote a frame without a delivery lag to record: its first snapshot, or a user's update. */
    void countSent() {
        sent.increment();
    }

    /** A stream took an update that this node received at {@code receivedNanos}. */
    void countDelivered(long receivedNanos) {
        sent.increment();
        metrics.delivered(System.nanoTime() - receivedNanos);
    }

    void countConflated() {
        conflated.increment();
        metrics.conflated();
    }

    void countSlowClientDropped() {
        slowClientsDropped.increment();
        metrics.slowClientDropped();
    }

    public ConnectionStatistics statistics() {
        Map<Long, Integer> events = new HashMap<>();
        dispatchers.forEach((id, dispatcher) -> {
            int n = dispatcher.size();
            if (n > 0) {
                events.put(id, n);
            }
        });
        return new ConnectionStatistics(connections.size() + streams.size(), events, sent.sum(), conflated.sum(),
                slowClientsDropped.sum());
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            long heartbeat = limits.heartbeatInterval().toNanos();
            long slow = limits.slowClientTimeout().toNanos();
            Instant wallNow = Instant.now();
            for (SseConnection connection : connections) {
                connection.tick(now, heartbeat, slow);
                connection.closeIfExpired(wallNow);
            }
            for (SseStream stream : streams) {
                stream.tick(now, heartbeat, slow, wallNow);
            }
        } catch (RuntimeException e) {
            log.error("Stream heartbeat tick failed; retrying on the next tick", e);
        }
    }

    /**
     * Refuses new streams, closes open ones gracefully, waits up to {@code timeout} for them to finish,
     * closes stragglers at once, stops the scheduler and unsubscribes every dispatcher. Idempotent.
     */
    public void shutdown(Duration timeout) {
        if (!shutdown.compareAndSet(false, true)) {
            return;
        }
        int closing = connections.size() + streams.size();
        connections.forEach(SseConnection::closeGracefully);
        streams.forEach(SseStream::closeGracefully);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!(connections.isEmpty() && streams.isEmpty()) && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int stragglers = connections.size() + streams.size();
        connections.forEach(SseConnection::closeNow);
        streams.forEach(SseStream::closeNow);
        dispatchers.values().forEach(EventDispatcher::retire);
        dispatchers.clear();
        shutdownHooks.forEach(Runnable::run);
        // shutdown(), not shutdownNow(): interrupting a thread inside a socket write closes that channel
        scheduler.shutdown();
        writers.shutdown();
        try {
            // nothing they run blocks, so they end at once
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
            writers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("SSE streams shut down: {} closed, {} of them forced after {}", closing, stragglers, timeout);
    }
}
