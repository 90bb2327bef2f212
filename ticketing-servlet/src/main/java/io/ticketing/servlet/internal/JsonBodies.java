package io.ticketing.servlet.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.ticketing.core.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a request body as JSON: at most {@code maxRequestBodyBytes} ({@code 413} beyond), only with a
 * JSON content type ({@code 415} otherwise), and maps Jackson's complaints to {@code malformed_json}
 * (not JSON at all) or {@code validation_failed} with the path of the offending field (unknown property,
 * wrong type, missing required field).
 */
final class JsonBodies {
    private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing required creator property '([^']+)'");

    /** Set on a request whose whole body was read. */
    private static final String READ_ATTRIBUTE = JsonBodies.class.getName() + ".read";

    /** A reader per body type, so that a request does not look its deserializer up again. */
    private final ClassValue<ObjectReader> readers;
    private final int maxBytes;

    JsonBodies(ObjectMapper mapper, int maxBytes) {
        this.readers = new ClassValue<>() {
            @Override
            protected ObjectReader computeValue(Class<?> type) {
                return mapper.readerFor(type);
            }
        };
        this.maxBytes = maxBytes;
    }

    /** The body as {@code type}; null if there is none and {@code required} is false. */
    <T> T read(HttpServletRequest request, Class<T> type, boolean required) throws IOException {
        byte[] body = bytes(request);
        if (body.length == 0) {
            if (required) {
                throw ApiException.of(ErrorCode.MALFORMED_JSON, "a JSON request body is required");
            }
            return null;
        }
        try {
            T value = readers.get(type).readValue(body);
            if (value == null && required) {
                throw ApiException.of(ErrorCode.MALFORMED_JSON, "the request body must be a JSON object, not null");
            }
            return value;
        } catch (JacksonException e) {
            throw translate(e);
        }
    }

    /**
     * Whether the request declared a body that no {@link #read} took to its end: an answer then leaves
     * bytes on the connection that a container may or may not manage to skip.
     */
    static boolean leftUnread(HttpServletRequest request) {
        return declaresBody(request) && request.getAttribute(READ_ATTRIBUTE) == null;
    }

    /** How much of an unread body {@link #discardUnread} reads and drops at most. */
    static final int LINGER_BYTES = 4 * 1024 * 1024;

    /**
     * After an answer sent before the body was read: sends the answer, then, on HTTP/1.x, reads and drops
     * the body if it declares at most {@value #LINGER_BYTES} bytes (or a chunked body up to that many).
     * A container gives an unread body only a few reads before it closes the connection, and a close with
     * bytes still arriving resets it: a client still sending then fails on its next write, and may never
     * read the answer (RFC 9112, section 9.6). A larger body is left to the container. Blocks the request's
     * thread while the client sends, as reading any body does; a read failure (the client went away) ends it.
     */
    static void discardUnread(HttpServletRequest request, HttpServletResponse response) {
        if (!request.getProtocol().startsWith("HTTP/1") || request.getContentLengthLong() > LINGER_BYTES) {
            return;
        }
        try {
            response.flushBuffer();
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            for (long left = LINGER_BYTES; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the body was taken as a reader: nothing more to drop
        }
    }

    private static boolean declaresBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private byte[] bytes(HttpServletRequest request) throws IOException {
        if (!declaresBody(request)) {
            return new byte[0];
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        if (!isJson(request.getContentType())) {
            throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "the request body must be application/json, was " + request.getContentType());
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            // the container delivers exactly the declared length, or all of a chunked body
            body = in.readNBytes(declared > 0 ? (int) declared : maxBytes + 1);
        }
        if (body.length > maxBytes) {
            throw tooLarge();
        }
        if (declared <= 0 || body.length == declared) {
            request.setAttribute(READ_ATTRIBUTE, Boolean.TRUE);
        }
        return body;
    }

    private ApiException tooLarge() {
        return ApiException.of(ErrorCode.PAYLOAD_TOO_LARGE, "the request body must be at most " + maxBytes + " bytes");
    }

    /** {@code application/json} or any {@code application/*+json}, whatever the parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static ApiException translate(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = path(u);
            return ApiException.validation(field, "unknown property " + field);
        }
        if (e instanceof InvalidNullException n) {
            String field = path(n).isEmpty() ? String.valueOf(n.getPropertyName()) : path(n);
            return ApiException.validation(field, field + " must not be null");
        }
        if (e instanceof InputCoercionException c) {
            String field = parserPath(c.getProcessor());
            return ApiException.validation(field, field + " is out of range");
        }
        if (e instanceof DatabindException d) {
            String field = path((JsonMappingException) d);
            Matcher missing = MISSING_PROPERTY.matcher(e.getOriginalMessage());
            if (missing.find()) {
                String property = missing.group(1);
                String name = field.isEmpty() ? property
                        : field.equals(property) || field.endsWith("." + property) ? field : field + "." + property;
                return ApiException.validation(name, name + " is required");
            }
            if (e instanceof MismatchedInputException m && m.getTargetType() != null && field.isEmpty()
                    && e.getOriginalMessage().startsWith("No content")) {
                return ApiException.of(ErrorCode.MALFORMED_JSON, "a JSON request body is required");
            }
            if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
                return ApiException.validation(nullIfEmpty(field), cause.getMessage());
            }
            if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
                return ApiException.validation(nullIfEmpty(field), (field.isEmpty() ? "the request body" : field)
                        + " must be " + describe(m.getTargetType()));
            }
            return ApiException.validation(nullIfEmpty(field), (field.isEmpty() ? "the request body" : field)
                    + " has an invalid value");
        }
        return ApiException.of(ErrorCode.MALFORMED_JSON, "the request body is not valid JSON: " + syntaxError(e));
    }

    /** Jackson's first sentence and where it happened, without its parser internals. */
    private static String syntaxError(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage());
        int detail = message.indexOf(" (");
        String first = (detail > 0 ? message.substring(0, detail) : message).replaceAll("\\s+", " ").trim();
        var location = e.getLocation();
        return location == null || location.getLineNr() < 0 ? first
                : first + " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** {@code seatingConfig.sections[0].price} for Jackson's reference path. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String parserPath(Object processor) {
        if (processor instanceof JsonParser parser) {
            String pointer = parser.getParsingContext().pathAsPointer().toString();
            return pointer.replaceFirst("^/", "").replaceAll("/(\\d+)(?=/|$)", "[$1]").replace('/', '.');
        }
        return null;
    }

    private static String nullIfEmpty(String field) {
        return field.isEmpty() ? null : field;
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
