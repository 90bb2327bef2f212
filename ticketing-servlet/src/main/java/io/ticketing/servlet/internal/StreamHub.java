package io.ticketing.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.StatisticsService;
import io.ticketing.core.internal.NamedThreadFactory;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.servlet.ConnectionStatistics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
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
    private final ConcurrentHashMap<Long, EventDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
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

    /** Takes one stream slot for {@code address}; false if the node or the address is at its cap. */
    boolean tryAdmit(String address) {
        if (open.incrementAndGet() > limits.maxStreams()) {
            open.decrementAndGet();
            return false;
        }
        boolean[] admitted = {false};
        perAddress.compute(address, (key, count) -> {
            int n = count == null ? 0 : count;
            if (n >= limits.maxStreamsPerAddress()) {
                return count;
            }
            admitted[0] = true;
            return n + 1;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
        }
        return admitted[0];
    }

    /** Gives back a slot taken by {@link #tryAdmit} for a stream that never started. */
    void release(String address) {
        perAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        open.decrementAndGet();
    }

    /**
     * Registers an admitted stream with its event's dispatcher (subscribing if it is the first) and
     * returns the dispatcher. Subscribing first and reading the current snapshot afterwards means no
     * change is missed in between.
     */
    EventDispatcher attach(SseConnection connection) {
        connections.add(connection);
        metrics.streamOpened();
        while (true) {
            EventDispatcher dispatcher = dispatchers.computeIfAbsent(connection.eventId(),
                    id -> new EventDispatcher(id, mapper, ids, statistics, writers, limits.writerThreads(),
                            limits.newPacer(), scheduler));
            if (dispatcher.add(connection)) {
                if (shutdown.get()) {
                    connection.closeGracefully();
                }
                return dispatcher;
            }
            dispatchers.remove(connection.eventId(), dispatcher);
        }
    }

    /** Forgets a stream (called once per stream when it ends, however it ends). */
    void remove(SseConnection connection) {
        if (!connections.remove(connection)) {
            return;
        }
        metrics.streamClosed();
        EventDispatcher dispatcher = dispatchers.get(connection.eventId());
        if (dispatcher != null && dispatcher.remove(connection)) {
            dispatchers.remove(connection.eventId(), dispatcher);
        }
        release(connection.address());
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

    /** A stream took its first snapshot. */
    void countInitialSent() {
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
        return new ConnectionStatistics(connections.size(), events, sent.sum(), conflated.sum(),
                slowClientsDropped.sum());
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            long heartbeat = limits.heartbeatInterval().toNanos();
            long slow = limits.slowClientTimeout().toNanos();
            for (SseConnection connection : connections) {
                connection.tick(now, heartbeat, slow);
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
        int streams = connections.size();
        connections.forEach(SseConnection::closeGracefully);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!connections.isEmpty() && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int stragglers = connections.size();
        connections.forEach(SseConnection::closeNow);
        dispatchers.values().forEach(EventDispatcher::retire);
        dispatchers.clear();
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
        log.info("SSE streams shut down: {} closed, {} of them forced after {}", streams, stragglers, timeout);
    }
}
