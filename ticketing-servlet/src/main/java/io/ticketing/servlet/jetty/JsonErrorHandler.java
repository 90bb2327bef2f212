package io.ticketing.servlet.jetty;

import io.ticketing.servlet.internal.ContainerErrors;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's error handler answering as the API does: {@code {"error":{"status","code","message"}}} with
 * {@code Content-Type: application/json}, for the errors Jetty finds before any servlet runs (a bad
 * percent-escape or an ambiguous segment in the path, a malformed header or {@code Content-Length}, a header
 * or URI too large, an unknown HTTP version). Never shows a stack trace. {@link TicketingJetty#mount}
 * installs it on the server unless the host set an error handler of its own.
 */
public final class JsonErrorHandler extends ErrorHandler {

    /** A handler to set with {@code server.setErrorHandler}, as {@link TicketingJetty#answerErrorsAsJson} does. */
    public JsonErrorHandler() {
    }

    /** A body for every method, not only Jetty's default GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, @Nullable String message,
                                    @Nullable Throwable cause,
                                    Callback callback) {
        byte[] body = ContainerErrors.body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The body of an error found while parsing the request (bad request line, headers or body framing). */
    @Override
    public ByteBuffer badMessageError(int status, @Nullable String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(ContainerErrors.body(status, reason));
    }
}
