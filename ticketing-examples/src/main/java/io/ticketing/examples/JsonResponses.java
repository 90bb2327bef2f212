package io.ticketing.examples;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes the app's own JSON answers, errors in the {@code {"error": {...}}} shape of api.md. */
final class JsonResponses {
    private final ObjectMapper mapper;

    JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        mapper.writeValue(response.getOutputStream(), body);
    }

    /** An error body; {@code field} is null unless a request field was invalid. */
    void error(HttpServletResponse response, int status, String code, String message, String field) throws IOException {
        write(response, status, new ErrorBody(new ErrorDetail(status, code, message, field)));
    }

    record ErrorBody(ErrorDetail error) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorDetail(int status, String code, String message, String field) {
    }
}
