package io.ticketing.examples.spring;

import io.ticketing.servlet.TicketingHttp;
import org.springframework.context.SmartLifecycle;

/**
 * Ends the SSE streams when the application context closes, before the web server's graceful shutdown
 * starts waiting for open requests: that wait (up to {@code spring.lifecycle.timeout-per-shutdown-phase},
 * 30 s) would otherwise hang on every open stream and then cut it. Runs in the last phase to start, so it
 * is the first to stop.
 */
final class TicketingStreamsLifecycle implements SmartLifecycle {
    private final TicketingHttp http;
    private volatile boolean running;

    TicketingStreamsLifecycle(TicketingHttp http) {
        this.http = http;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Streams get their pending update and end cleanly within the library's shutdown timeout. */
    @Override
    public void stop() {
        http.shutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Above the web server's graceful-shutdown phase ({@code DEFAULT_PHASE - 1024}): stops before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
