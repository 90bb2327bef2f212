package io.ticketing.servlet.testing;

import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.jetty.TicketingJetty;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty 12 with the API mounted by {@link TicketingJetty#mount}; its connector speaks HTTP/1.1
 * and HTTP/2 over cleartext (h2c, by upgrade or prior knowledge).
 */
public final class JettyTestServer implements TestServer {
    private final Server server;
    private final ServerConnector connector;
    private final URI api;

    private JettyTestServer(Server server, ServerConnector connector, URI api) {
        this.server = server;
        this.connector = connector;
        this.api = api;
    }

    public static JettyTestServer start(TicketingHttp http) throws Exception {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        TicketingJetty.mount(context, "/api", http);
        TicketingJetty.answerErrorsAsJson(server);
        server.setHandler(context);
        server.start();
        return new JettyTestServer(server, connector, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api"));
    }

    @Override
    public URI api() {
        return api;
    }

    @Override
    public int openConnections() {
        return connector.getConnectedEndPoints().size();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the server", e);
        }
    }
}
