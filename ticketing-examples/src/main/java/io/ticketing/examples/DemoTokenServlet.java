package io.ticketing.examples;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * {@code POST /api/demo/token} with {@code {"userId": 7, "role": "buyer"}} answers {@code {"token": "..."}}:
 * a token for anyone who asks. Mounted only in demo mode, when no JWT secret is configured.
 */
final class DemoTokenServlet extends HttpServlet {
    static final Duration TOKEN_LIFETIME = Duration.ofHours(12);
    private static final int MAX_BODY_BYTES = 4096;

    private final transient JwtTokens tokens;
    private final transient ObjectMapper mapper;
    private final transient JsonResponses responses;

    DemoTokenServlet(JwtTokens tokens, ObjectMapper mapper) {
        this.tokens = tokens;
        this.mapper = mapper;
        this.responses = new JsonResponses(mapper);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            responses.error(response, 405, "method_not_allowed",
                    request.getMethod() + " is not allowed here; allowed: POST", null);
            return;
        }
        doPost(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            responses.error(response, 415, "unsupported_media_type", "send the body as application/json", null);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            responses.error(response, 413, "payload_too_large", "the body may be at most " + MAX_BODY_BYTES + " bytes", null);
            return;
        }
        TokenRequest tokenRequest;
        try {
            tokenRequest = mapper.readValue(body, TokenRequest.class);
        } catch (JsonParseException e) {
            responses.error(response, 400, "malformed_json", "the body is not valid JSON", null);
            return;
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
            String problem = e instanceof UnrecognizedPropertyException ? "unknown property " + field + "; " : "";
            responses.error(response, 400, "validation_failed",
                    problem + "send {\"userId\": <positive integer>, \"role\": \"seller\" | \"buyer\"}", field);
            return;
        }
        if (tokenRequest == null || tokenRequest.userId() < 1) {
            responses.error(response, 400, "validation_failed", "userId must be a positive integer", "userId");
            return;
        }
        Role role = JwtTokens.role(tokenRequest.role());
        if (role == null) {
            responses.error(response, 400, "validation_failed", "role must be seller or buyer", "role");
            return;
        }
        String token = tokens.issue(new User(tokenRequest.userId(), role), TOKEN_LIFETIME);
        responses.write(response, 200, new TokenResponse(token));
    }

    record TokenRequest(@JsonProperty(required = true) long userId, @JsonProperty(required = true) String role) {
    }

    record TokenResponse(String token) {
    }
}
