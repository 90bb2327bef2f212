package io.ticketing.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health}: {@code 200 {"status":"UP","store":"UP","pubSub":"UP"}} when the store and the
 * statistics pub/sub both answer, else {@code 503} with {@code "DOWN"} for the part that does not.
 */
final class HealthServlet extends HttpServlet {
    private final transient BooleanSupplier storeHealthy;
    private final transient BooleanSupplier pubSubHealthy;
    private final transient JsonResponses responses;

    HealthServlet(BooleanSupplier storeHealthy, BooleanSupplier pubSubHealthy, JsonResponses responses) {
        this.storeHealthy = storeHealthy;
        this.pubSubHealthy = pubSubHealthy;
        this.responses = responses;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean store = storeHealthy.getAsBoolean();
        boolean pubSub = pubSubHealthy.getAsBoolean();
        boolean up = store && pubSub;
        responses.write(response, up ? 200 : 503, new Health(state(up), state(store), state(pubSub)));
    }

    private static String state(boolean up) {
        return up ? "UP" : "DOWN";
    }

    record Health(String status, String store, String pubSub) {
    }
}
