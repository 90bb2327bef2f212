package io.ticketing.examples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the answers of the reservation endpoints under the API mount into
 * {@code ticketing.reservation.requests} (Prometheus: {@code ticketing_reservation_requests_total}), tagged
 * with {@code operation} ({@code reserve}, {@code confirm}, {@code cancel}), the HTTP {@code status} and its
 * {@code outcome} ({@code success}, {@code client_error}, {@code server_error}). A {@code 409} of
 * {@code reserve} is a seat that someone else got first.
 */
final class ReservationMetricsFilter extends HttpFilter {
    static final String COUNTER = "ticketing.reservation.requests";
    private static final Pattern RESERVATION_PATH =
            Pattern.compile("/events/[^/]+/(reservations)|/reservations/[^/]+/(confirm|cancel)");

    private final transient MeterRegistry registry;

    ReservationMetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String operation = "POST".equals(request.getMethod()) ? operation(request.getPathInfo()) : null;
        if (operation == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            int status = response.getStatus();
            Counter.builder(COUNTER)
                    .description("Answers of the reserve, confirm and cancel endpoints")
                    .tag("operation", operation)
                    .tag("status", Integer.toString(status))
                    .tag("outcome", status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success")
                    .register(registry)
                    .increment();
        }
    }

    private static String operation(String path) {
        if (path == null) {
            return null;
        }
        Matcher m = RESERVATION_PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        return m.group(1) != null ? "reserve" : m.group(2);
    }
}
