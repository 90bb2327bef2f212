package io.ticketing.servlet;

import static io.ticketing.servlet.testing.TestPrincipals.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Drafts;
import io.ticketing.core.testing.CountingTicketStore;
import io.ticketing.servlet.testing.ApiClient;
import io.ticketing.servlet.testing.ApiClient.Response;
import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.SseRecorder;
import io.ticketing.servlet.testing.TestPrincipals;
import io.ticketing.servlet.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads cost a constant number of store calls, however many items or subsections they show. */
class StoreCallsIT {
    private static final User SELLER = User.seller(3);

    private final CountingTicketStore store = new CountingTicketStore(new InMemoryTicketStore());
    private Ticketing ticketing;
    private TestServer server;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        ticketing = Ticketing.builder().store(store).build();
        server = JettyTestServer.start(TicketingHttp.builder(ticketing).principalResolver(TestPrincipals.resolver()).build());
        api = new ApiClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
        ticketing.close();
    }

    @Test
    void aPageOf200EventsCostsTwoStoreCalls() {
        for (int i = 0; i < 200; i++) {
            ticketing.events().create(SELLER, Drafts.available("e" + i, 1, 1));
        }
        store.resetCalls();
        Response page = api.get("/events?limit=200", null);
        assertEquals(200, page.status(), page.body());
        assertEquals(200, page.json().get("items").size());
        assertEquals(2, store.calls(), "listEvents and summaries");
        store.resetCalls();
        assertEquals(200, api.get("/events?sellerId=3&limit=200", bearer(SELLER)).json().get("items").size());
        assertEquals(2, store.calls());
    }

    @Test
    void openingAStreamCostsTheSameStoreCallsForOneSubsectionOrTenThousand() throws Exception {
        long small = ticketing.events().create(SELLER, Drafts.available("small", 1, 1)).id();
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sections.add(new Section("S" + i, 100, 100));
        }
        long large = ticketing.events().create(SELLER, new EventDraft("large", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(1, 1, sections))).id();
        int[] calls = new int[2];
        long[] events = {small, large};
        for (int i = 0; i < 2; i++) {
            store.resetCalls();
            try (SseRecorder sse = SseRecorder.open(server.uri("/events/" + events[i] + "/stream"))) {
                sse.assertEvent("initial_status", 1);
                calls[i] = store.calls();
            }
        }
        assertEquals(calls[0], calls[1], "store calls for 1 and for 10,000 subsections");
        assertTrue(calls[0] <= 3, calls[0] + " store calls to open a stream");
    }
}
