package io.ticketing.servlet.jetty;

import io.ticketing.servlet.TicketingHttp;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Registration of a {@link TicketingHttp} in embedded Jetty 12 (ee10). Needs
 * {@code org.eclipse.jetty.ee10:jetty-ee10-servlet} on the class path or module path (module
 * {@code org.eclipse.jetty.ee10.servlet}), an optional dependency of this library.
 *
 * <pre>{@code
 * Server server = new Server(8080);
 * ServletContextHandler context = new ServletContextHandler();
 * TicketingJetty.mount(context, "/api", http);
 * TicketingJetty.answerErrorsAsJson(server);
 * server.setHandler(context);
 * server.start();
 * }</pre>
 */
public final class TicketingJetty {
    private TicketingJetty() {
    }

    /**
     * Makes {@code server} answer the errors that Jetty finds before any servlet runs (a bad percent-escape
     * or an ambiguous segment in the path, a malformed header or {@code Content-Length}, a header or URI too
     * large, an unknown HTTP version) with the API's JSON error body instead of an HTML page, for every
     * context of the server: it sets a {@link JsonErrorHandler} as the server's error handler.
     */
    public static void answerErrorsAsJson(Server server) {
        server.setErrorHandler(new JsonErrorHandler());
    }

    /**
     * Mounts {@link TicketingHttp#restServlet()} at {@code prefix + "/*"} (async supported), which serves
     * the whole API including the streams, and arranges for {@link TicketingHttp#shutdown()} to run as soon
     * as the {@link Server} that runs {@code context} begins to stop — before Jetty closes its
     * connections — so that every stream ends cleanly. Call before the context starts.
     *
     * @param prefix the mount path, {@code ""} or a path starting with {@code /} and not ending with one,
     *               such as {@code /api}
     * @return the holder, for further settings
     * @throws IllegalArgumentException if {@code prefix} is not of that form
     */
    public static ServletHolder mount(ServletContextHandler context, String prefix, TicketingHttp http) {
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("*"))) {
            throw new IllegalArgumentException("prefix must be \"\" or start with / and not end with /, was " + prefix);
        }
        ServletHolder holder = new ServletHolder("ticketing", http.restServlet());
        holder.setAsyncSupported(true);
        context.addServlet(holder, prefix + "/*");
        context.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                Server server = context.getServer();
                if (server != null) {
                    server.addEventListener(new LifeCycle.Listener() {
                        @Override
                        public void lifeCycleStopping(LifeCycle stopping) {
                            http.shutdown();
                        }
                    });
                }
            }

            @Override
            public void lifeCycleStopping(LifeCycle event) {
                http.shutdown();
            }
        });
        return holder;
    }
}
