package io.ticketing.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Serves the browser client, the ES module {@code ticketing-client.js} next to this class, at
 * {@code <mount>/ticketing-client.js}: {@code text/javascript}, with an {@code ETag} so that a browser
 * revalidates it ({@code Cache-Control: no-cache}) and gets {@code 304} while it is unchanged. Immutable
 * and thread-safe.
 */
final class BrowserClientScript {
    static final String PATH = "/ticketing-client.js";
    static final String RESOURCE = "ticketing-client.js";

    private final byte[] script;
    private final String etag;

    BrowserClientScript() {
        try (InputStream in = BrowserClientScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the ticketing-servlet jar");
            }
            this.script = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script);
            this.etag = "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether {@code request} is for the script's path, {@link #PATH}, by any method. */
    static boolean isPath(HttpServletRequest request) {
        return PATH.equals(request.getPathInfo());
    }

    void write(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "no-cache");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(304);
            return;
        }
        response.setStatus(200);
        response.setContentType("text/javascript; charset=utf-8");
        response.setContentLength(script.length);
        if ("GET".equals(request.getMethod())) {
            response.getOutputStream().write(script);
        }
    }
}
