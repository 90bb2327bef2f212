package io.ticketing.core.redis;

import io.ticketing.core.internal.SnapshotUpdate;
import io.ticketing.core.metrics.CallOutcome;
import io.ticketing.core.metrics.MetricsTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The publisher thread's loop: takes pending snapshots in batches and sends each batch as one pipeline of
 * {@code PUBLISH} commands, one per snapshot. A failed batch goes back to {@link PendingSnapshots}, ahead of
 * its events' newer snapshots and within its bounds, and is retried after a backoff, so Redis being down
 * costs the callers of {@code publish} nothing. A snapshot whose version is not newer than the last one this node sent for its event is never sent.
 */
final class SnapshotPublisher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);
    /** PUBLISH commands per pipeline round trip, give or take one event's waiting snapshots. */
    static final int BATCH_SIZE = 256;
    /** Events whose last sent version is remembered; beyond it the least recently sent are forgotten. */
    static final int TRACKED_EVENTS = 65_536;
    private static final long IDLE_WAIT_MILLIS = 1_000;

    private final PendingSnapshots pending;
    private final JedisPool pool;
    private final HostAndPort address;
    private final SnapshotCodec codec;
    private final Backoff backoff;
    /** Confined to the publisher thread. */
    private final Map<Long, Long> lastSentVersion = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > TRACKED_EVENTS;
        }
    };
    private volatile boolean failing;
    private volatile boolean closing;
    /** Set before the thread starts. */
    private MetricsTracker metrics = MetricsTracker.none();

    SnapshotPublisher(PendingSnapshots pending, JedisPool pool, HostAndPort address, SnapshotCodec codec,
                      Backoff backoff) {
        this.address = address;
        this.pending = pending;
        this.pool = pool;
        this.codec = codec;
        this.backoff = backoff;
    }

    /** Reports round trips to {@code metrics}; call before the thread starts. */
    void track(MetricsTracker metrics) {
        this.metrics = metrics;
    }

    /** True from a failed send until the next successful one. */
    boolean isFailing() {
        return failing;
    }

    /**
     * Makes {@link #run} send what is pending once more, without retrying, and return; the caller then
     * interrupts the thread to cut short its wait.
     */
    void closing() {
        closing = true;
    }

    @Override
    public void run() {
        while (true) {
            List<SnapshotUpdate> batch;
            try {
                batch = pending.take(BATCH_SIZE, closing ? 0 : IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // close() wakes us up; the next round sees closing
            }
            if (batch.isEmpty()) {
                if (closing) {
                    return;
                }
                continue;
            }
            boolean sent;
            try {
                sent = send(batch);
            } catch (RuntimeException e) {
                log.error("Dropped {} statistics snapshots that could not be published", batch.size(), e);
                continue;
            }
            if (sent) {
                continue;
            }
            pending.putBack(batch);
            if (closing) {
                log.warn("Redis broadcaster closed with {} unsent snapshots; other nodes catch up on the next change",
                        pending.size());
                return;
            }
            pause(backoff.next());
        }
    }

    private boolean send(List<SnapshotUpdate> batch) {
        List<SnapshotUpdate> fresh = new ArrayList<>(batch.size());
        List<String> messages = new ArrayList<>(batch.size());
        for (SnapshotUpdate s : batch) {
            Long sent = lastSentVersion.get(s.eventId());
            if (sent == null || s.version() > sent) {
                fresh.add(s);
                messages.add(codec.encode(s));
            }
        }
        if (fresh.isEmpty()) {
            return true;
        }
        long start = System.nanoTime();
        try (Jedis jedis = pool.getResource()) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < fresh.size(); i++) {
                pipeline.publish(codec.channel(fresh.get(i).eventId()), messages.get(i));
            }
            pipeline.sync();
            metrics.relayed(CallOutcome.OK, fresh.size(), System.nanoTime() - start);
        } catch (JedisException e) {
            metrics.relayed(CallOutcome.ERROR, fresh.size(), System.nanoTime() - start);
            if (!failing) {
                log.warn("Cannot publish statistics to Redis: {}; retrying with backoff, local subscribers still get them",
                        RedisFailures.describe(e, address));
            }
            failing = true;
            return false;
        }
        for (SnapshotUpdate s : fresh) {
            lastSentVersion.put(s.eventId(), s.version());
        }
        if (failing) {
            log.info("Publishing statistics to Redis works again");
            failing = false;
            backoff.reset();
        }
        return true;
    }

    private void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            // close() wakes us up; the loop sees closing
        }
    }
}
