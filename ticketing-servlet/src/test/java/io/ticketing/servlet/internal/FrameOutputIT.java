package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketing.servlet.testing.TomcatTestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * Which way each container gets its frames: on Jetty straight from a {@code ByteBuffer} (no per-stream
 * buffer, no flush), so that a Jetty upgrade that loses the method is noticed; on Tomcat portably.
 */
class FrameOutputIT {
    /** Writes a frame through {@link FrameOutput} and answers whether it needs a flush after it. */
    static final class ProbeServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            FrameOutput frames = FrameOutput.of(response.getOutputStream());
            boolean flush = frames.write(response.getOutputStream(),
                    ("buffered=" + frames.buffered()).getBytes(StandardCharsets.US_ASCII));
            if (flush) {
                response.getOutputStream().flush();
            }
        }
    }

    @Test
    void jettyTakesFramesAsByteBuffersWithoutAFlush() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new ProbeServlet()), "/probe");
        server.setHandler(context);
        server.start();
        try {
            assertEquals("buffered=false", get(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/probe")));
        } finally {
            server.stop();
        }
    }

    @Test
    void tomcatTakesFramesThroughItsBufferAndAFlush() throws Exception {
        try (TomcatTestServer tomcat = TomcatTestServer.start(new ProbeServlet(), "/probe")) {
            assertEquals("buffered=true", get(tomcat.api()));
        }
    }

    private static String get(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }
}
