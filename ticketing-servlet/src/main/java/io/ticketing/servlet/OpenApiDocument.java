package io.ticketing.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI 3.1 description of the REST API ({@code openapi.json} next to this class) at
 * {@code <mount>/openapi.json}, with {@code servers} set to the mount the request came through. Immutable
 * and thread-safe.
 */
final class OpenApiDocument {
    static final String PATH = "/openapi.json";
    static final String RESOURCE = "openapi.json";

    private final ObjectMapper mapper;
    private final ObjectNode document;

    OpenApiDocument(ObjectMapper mapper) {
        this.mapper = mapper;
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the ticketing-servlet jar");
            }
            this.document = (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Whether {@code request} is for the description's path, {@link #PATH}, by any method. */
    static boolean isPath(HttpServletRequest request) {
        return PATH.equals(request.getPathInfo());
    }

    void write(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ObjectNode copy = document.deepCopy();
        String mount = request.getContextPath() + request.getServletPath();
        copy.putArray("servers").addObject().put("url", mount.isEmpty() ? "/" : mount);
        byte[] bytes = mapper.writeValueAsBytes(copy);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
