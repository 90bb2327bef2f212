package io.ticketing.servlet.internal;

import io.ticketing.core.ErrorCode;

/**
 * An HTTP-level refusal that the core does not know about (bad path, wrong method, body problems, caps),
 * answered as the JSON error body. {@code allow} is the {@code Allow} header of a 405, else null.
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;
    private final String allow;

    ApiException(int status, String code, String message, String field, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.allow = allow;
    }

    static ApiException of(ErrorCode code, String message) {
        return new ApiException(code.httpStatus(), code.wireName(), message, null, null);
    }

    static ApiException validation(String field, String message) {
        return new ApiException(400, ErrorCode.VALIDATION_FAILED.wireName(), message, field, null);
    }

    /** A request this API cannot even read, such as a query string with a bad percent-escape. */
    static ApiException badRequest(String message) {
        return new ApiException(400, ContainerErrors.code(400), message, null, null);
    }

    static ApiException notFound(String path) {
        return of(ErrorCode.NOT_FOUND, "no resource at " + path);
    }

    static ApiException methodNotAllowed(String method, String allow) {
        return new ApiException(405, "method_not_allowed", method + " is not allowed here; allowed: " + allow,
                null, allow);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String field() {
        return field;
    }

    String allow() {
        return allow;
    }
}
