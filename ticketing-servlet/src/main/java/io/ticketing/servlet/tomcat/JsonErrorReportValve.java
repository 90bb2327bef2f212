package io.ticketing.servlet.tomcat;

import io.ticketing.servlet.internal.ContainerErrors;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's error report answering as the API does: {@code {"error":{"status","code","message"}}} with
 * {@code Content-Type: application/json}, for the errors Tomcat finds before any servlet runs (a bad
 * percent-escape in the path, a malformed header or {@code Content-Length}, a header too large, an unknown
 * HTTP version). Never shows a stack trace. Install it as the host's error report valve:
 * {@code ((StandardHost) tomcat.getHost()).setErrorReportValveClass(JsonErrorReportValve.class.getName())},
 * or {@code errorReportValveClass} on {@code <Host>} in {@code server.xml}.
 */
public final class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, @Nullable Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return; // not an error, or one whose body was written already (every answer of the API's servlets)
        }
        byte[] body = ContainerErrors.body(status, response.getMessage());
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
