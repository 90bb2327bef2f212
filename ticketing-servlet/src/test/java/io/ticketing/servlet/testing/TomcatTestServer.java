package io.ticketing.servlet.testing;

import io.ticketing.servlet.TicketingHttp;
import java.net.URI;
import java.nio.file.Files;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat 10.1 with the API registered the way {@code docs/embedding.md} shows: the REST servlet
 * under {@code /api/*}, async supported, and no processor reuse.
 */
public final class TomcatTestServer implements TestServer {
    private final Tomcat tomcat;
    private final URI api;

    private TomcatTestServer(Tomcat tomcat, URI api) {
        this.tomcat = tomcat;
        this.api = api;
    }

    public static TomcatTestServer start(TicketingHttp http) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("ticketing-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);

        StandardContext context = (StandardContext) tomcat.addContext("", null);
        // Tomcat's class-loader leak checks need --add-opens and are pointless for an embedded test server.
        context.setClearReferencesObjectStreamClassCaches(false);
        context.setClearReferencesRmiTargets(false);
        context.setClearReferencesThreadLocals(false);
        Wrapper api = Tomcat.addServlet(context, "ticketing", http.restServlet());
        api.setAsyncSupported(true);
        context.addServletMappingDecoded("/api/*", "ticketing");

        tomcat.start();
        return new TomcatTestServer(tomcat, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api"));
    }

    @Override
    public URI api() {
        return api;
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the server", e);
        }
    }
}
