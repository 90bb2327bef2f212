package io.ticketing.core.redis;

import io.ticketing.core.Ticketing;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.testing.Await;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** One simulated app node: its own {@link Ticketing} and Redis broadcaster over a store shared with other nodes. */
final class Node implements AutoCloseable {
    final String name;
    final RedisStatisticsBroadcaster broadcaster;
    final Ticketing ticketing;
    private final List<Subscription> subscriptions = new ArrayList<>();

    private Node(String name, RedisStatisticsBroadcaster broadcaster, Ticketing ticketing) {
        this.name = name;
        this.broadcaster = broadcaster;
        this.ticketing = ticketing;
    }

    /** Starts a node named {@code name} (also its Redis client name), talking to Redis at {@code redisUri}. */
    static Node start(String name, TicketStore store, URI redisUri, String channelPrefix,
                      UnaryOperator<RedisStatisticsBroadcaster.Builder> settings) {
        RedisStatisticsBroadcaster broadcaster = settings.apply(RedisStatisticsBroadcaster.builder()
                .redisUri(redisUri)
                .channelPrefix(channelPrefix)
                .clientName(name)
                .pingInterval(Duration.ofSeconds(1)))
                .build();
        Ticketing ticketing = Ticketing.builder().store(store).broadcaster(broadcaster).build();
        return new Node(name, broadcaster, ticketing);
    }

    static Node start(String name, TicketStore store, URI redisUri, String channelPrefix) {
        return start(name, store, redisUri, channelPrefix, UnaryOperator.identity());
    }

    Recorder subscribe(long eventId) {
        Recorder recorder = new Recorder();
        subscriptions.add(ticketing.statistics().subscribe(eventId, recorder));
        return recorder;
    }

    Node awaitHealthy() {
        Await.until(broadcaster::isHealthy, Duration.ofSeconds(10), name + " is healthy");
        return this;
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        ticketing.close();
    }
}
