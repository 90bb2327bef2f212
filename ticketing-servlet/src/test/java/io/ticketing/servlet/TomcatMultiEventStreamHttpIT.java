package io.ticketing.servlet;

import io.ticketing.servlet.testing.TomcatTestServer;
import io.ticketing.servlet.testing.TestServer;

/** Streams of several events on embedded Tomcat. */
class TomcatMultiEventStreamHttpIT extends AbstractMultiEventStreamHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return TomcatTestServer.start(http);
    }
}
