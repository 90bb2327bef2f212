package io.ticketing.servlet;

import io.ticketing.servlet.testing.TomcatTestServer;
import io.ticketing.servlet.testing.TestServer;

/** The lobby stream on embedded Tomcat 10.1. */
class TomcatLobbyHttpIT extends AbstractLobbyHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return TomcatTestServer.start(http);
    }
}
