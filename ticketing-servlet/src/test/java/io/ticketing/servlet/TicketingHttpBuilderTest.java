package io.ticketing.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.Ticketing;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TicketingHttpBuilderTest {
    private static Ticketing ticketing;

    @BeforeAll
    static void start() {
        ticketing = Ticketing.builder().build();
    }

    @AfterAll
    static void stop() {
        ticketing.close();
    }

    @Test
    void defaultsBuildAndStartWithNoStreams() {
        try (TicketingHttp http = TicketingHttp.builder(ticketing).build()) {
            ConnectionStatistics stats = http.connectionStatistics();
            assertEquals(0, stats.connections());
            assertEquals(0, stats.messagesSent());
        }
    }

    @Test
    void outOfRangeSettingsAreNamedInTheError() {
        assertMessage("heartbeatInterval must be between", TicketingHttp.builder(ticketing).heartbeatInterval(Duration.ZERO));
        assertMessage("slowClientTimeout must be between", TicketingHttp.builder(ticketing).slowClientTimeout(Duration.ofHours(1)));
        assertMessage("maxStreams must be between", TicketingHttp.builder(ticketing).maxStreams(0));
        assertMessage("maxStreamsPerAddress must be between 1 and 10",
                TicketingHttp.builder(ticketing).maxStreams(10).maxStreamsPerAddress(11));
        assertMessage("maxStreamsPerUser must be between 1 and 1000000",
                TicketingHttp.builder(ticketing).maxStreamsPerUser(0));
        assertMessage("streamTokenSecret must have at least 32 bytes",
                TicketingHttp.builder(ticketing).streamTokenSecret(new byte[31]));
        assertMessage("retryAfter must be between", TicketingHttp.builder(ticketing).retryAfter(Duration.ofMillis(10)));
        assertMessage("reconnectDelay must be between", TicketingHttp.builder(ticketing).reconnectDelay(Duration.ofSeconds(-1)));
        assertMessage("maxRequestBodyBytes must be between", TicketingHttp.builder(ticketing).maxRequestBodyBytes(10));
        assertMessage("shutdownTimeout must be between", TicketingHttp.builder(ticketing).shutdownTimeout(Duration.ofHours(1)));
        assertMessage("writerThreads must be between", TicketingHttp.builder(ticketing).writerThreads(0));
        assertMessage("minUpdateInterval must be between", TicketingHttp.builder(ticketing).minUpdateInterval(Duration.ofMillis(-1)));
        assertMessage("busyEventUpdateInterval must be between",
                TicketingHttp.builder(ticketing).busyEventUpdateInterval(Duration.ofSeconds(11)));
        assertMessage("busyEventChangesPerSecond must be between",
                TicketingHttp.builder(ticketing).busyEventChangesPerSecond(0));
        assertMessage("allowedOrigins must be scheme://host[:port] without a path, was https://shop.example/",
                TicketingHttp.builder(ticketing).allowedOrigins("https://shop.example/"));
        assertMessage("allowedOrigins must be scheme://host[:port]", TicketingHttp.builder(ticketing).allowedOrigins("*"));
    }

    @Test
    void theDefaultHeartbeatIsShorterThanOkHttpsDefaultReadTimeout() {
        assertTrue(TicketingHttp.Builder.DEFAULT_HEARTBEAT_INTERVAL.compareTo(Duration.ofSeconds(10)) < 0);
    }

    @Test
    void shutdownIsIdempotent() {
        TicketingHttp http = TicketingHttp.builder(ticketing).build();
        http.shutdown();
        http.shutdown();
        http.close();
        assertEquals(0, http.connectionStatistics().connections());
    }

    private static void assertMessage(String expected, TicketingHttp.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        if (!e.getMessage().startsWith(expected)) {
            throw new AssertionError("expected '" + expected + "…' but was '" + e.getMessage() + "'");
        }
    }
}
