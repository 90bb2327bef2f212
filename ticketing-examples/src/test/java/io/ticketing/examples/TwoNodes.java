package io.ticketing.examples;

import io.ticketing.core.testing.Await;
import io.ticketing.examples.bench.ClusterNode;
import io.ticketing.examples.bench.Deployment;
import io.ticketing.servlet.testing.TestPrincipals;
import java.net.URI;
import java.time.Duration;

/**
 * Nodes A and B of one {@link Deployment}, as production runs them behind a load balancer: each its own
 * {@code Ticketing} in its own Jetty with its own pool and Redis broadcaster, the tests' principal resolver,
 * both connected to Redis when {@link #start} returns. Closing it closes both nodes.
 */
record TwoNodes(ClusterNode a, ClusterNode b) implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Starts A and B on {@code deployment}, talking to Redis at {@code redisUri}. */
    static TwoNodes start(Deployment deployment, URI redisUri) throws Exception {
        ClusterNode a = deployment.node("it-node-a", redisUri).principalResolver(TestPrincipals.resolver()).start();
        ClusterNode b;
        try {
            b = deployment.node("it-node-b", redisUri).principalResolver(TestPrincipals.resolver()).start();
        } catch (Exception | Error e) {
            a.close();
            throw e;
        }
        TwoNodes nodes = new TwoNodes(a, b);
        try {
            Await.until(() -> a.redis().isHealthy() && b.redis().isHealthy(), PATIENCE, "both nodes connected to Redis");
        } catch (RuntimeException | Error e) {
            nodes.close();
            throw e;
        }
        return nodes;
    }

    @Override
    public void close() {
        try {
            b.close();
        } finally {
            a.close();
        }
    }
}
