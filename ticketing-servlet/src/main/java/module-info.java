/**
 * The HTTP and SSE API of the ticketing library as Servlet 6 servlets ({@link io.ticketing.servlet.TicketingHttp}),
 * with helpers for embedded Jetty 12. Nothing else is exported. The Tomcat valve
 * ({@code io.ticketing.servlet.tomcat}) is compiled on the class path, outside this descriptor: its
 * tomcat-embed-core holds its own copy of the {@code jakarta.servlet} packages, which no module may read
 * twice; on the class path, where Tomcat hosts run, it works as any class.
 */
module io.ticketing.servlet {
    requires transitive io.ticketing.core;
    requires transitive jakarta.servlet;
    requires org.slf4j;
    requires static transitive org.jspecify;
    requires static org.eclipse.jetty.server;
    requires static org.eclipse.jetty.ee10.servlet;

    exports io.ticketing.servlet;
    exports io.ticketing.servlet.jetty;

    // Jackson writes the response bodies, records of the internal package
    opens io.ticketing.servlet.internal to com.fasterxml.jackson.databind;
}
