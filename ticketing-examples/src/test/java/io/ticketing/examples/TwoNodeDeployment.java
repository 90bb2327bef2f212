package io.ticketing.examples;

import io.ticketing.core.testing.TestEnvironment;
import io.ticketing.examples.bench.Deployment;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link Deployment} of a two-node test class on the test PostgreSQL and Redis (registered as a static
 * {@code @RegisterExtension} field), whose schema is dropped after the class; and what each test starts on it —
 * {@link TwoNodes}, proxies, streams — closed after the test, the last started first, each even if another
 * fails to close.
 */
final class TwoNodeDeployment implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final String name;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Deployment deployment;

    /** {@code name}, a lower-case SQL identifier, starts the deployment's schema name. */
    TwoNodeDeployment(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        deployment = Deployment.create(name, TestEnvironment.jdbcUrl(), TestEnvironment.jdbcUser(),
                TestEnvironment.redisUri());
    }

    /** Starts nodes A and B, both talking to the deployment's Redis, to be closed after the test. */
    TwoNodes startNodes() throws Exception {
        return startNodes(deployment.redisUri());
    }

    /** Starts nodes A and B, both talking to Redis at {@code redisUri} (a proxy in front of the test Redis). */
    TwoNodes startNodes(URI redisUri) throws Exception {
        return closeAfterTest(TwoNodes.start(deployment, redisUri));
    }

    /** Closes {@code resource} after the current test, before whatever was registered earlier. */
    <T extends AutoCloseable> T closeAfterTest(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        deployment.close();
    }
}
