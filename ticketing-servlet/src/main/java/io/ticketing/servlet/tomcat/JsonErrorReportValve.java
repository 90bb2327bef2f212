package io.ticketing.servlet.tomcat;

import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.internal.ContainerErrors;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's error report answering as the API does: {@code {"error":{"status","code","message"}}} with
 * {@code Content-Type: application/json}, for the errors Tomcat finds before any servlet runs (a bad
 * percent-escape in the path, a malformed header or {@code Content-Length}, a header too large, an unknown
 * HTTP version). Never shows a stack trace. Install it as the host's error report valve:
 * {@code ((StandardHost) tomcat.getHost()).setErrorReportValveClass(JsonErrorReportValve.class.getName())},
 * or {@code errorReportValveClass} on {@code <Host>} in {@code server.xml}; or, so that these errors carry
 * the CORS headers of a {@link TicketingHttp} for its allowed origins, {@link #install(StandardHost, TicketingHttp)}.
 */
public final class JsonErrorReportValve extends ErrorReportValve {
    private final @Nullable TicketingHttp http;

    /** A valve without CORS headers, as Tomcat makes it from {@code errorReportValveClass}. */
    public JsonErrorReportValve() {
        this.http = null;
    }

    /** A valve that adds the CORS headers of {@code http} ({@link TicketingHttp#corsHeaders}) to the errors it answers. */
    public JsonErrorReportValve(TicketingHttp http) {
        this.http = http;
    }

    /**
     * Makes a valve with the CORS headers of {@code http} the error report valve of {@code host}, in place of
     * Tomcat's. Call before the host starts.
     */
    public static void install(StandardHost host, TicketingHttp http) {
        host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
        host.getPipeline().addValve(new JsonErrorReportValve(http));
    }

    @Override
    protected void report(Request request, Response response, @Nullable Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return; // not an error, or one whose body was written already (every answer of the API's servlets)
        }
        byte[] body = ContainerErrors.body(status, response.getMessage());
        if (http != null) {
            http.corsHeaders(request.getHeader("Origin")).forEach(response::setHeader);
        }
        try {
            response.setContentType("application/json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body: nothing more to tell it
        }
    }
}
