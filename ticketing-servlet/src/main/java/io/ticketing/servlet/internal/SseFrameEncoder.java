package io.ticketing.servlet.internal;

import java.nio.charset.StandardCharsets;

/**
 * Encodes Server-Sent Events frames as UTF-8 bytes. A {@code data} value with line breaks ({@code \r\n},
 * {@code \r} or {@code \n}) becomes one {@code data:} line per line, so that the client's parser rebuilds
 * the same value; every frame ends with the blank line that dispatches it.
 */
public final class SseFrameEncoder {
    private SseFrameEncoder() {
    }

    /**
     * {@code id: <id>\nevent: <event>\ndata: <line>\n…\n}. {@code id} and {@code event} may be null to omit
     * them.
     *
     * @throws IllegalArgumentException if {@code id} or {@code event} contains a line break
     */
    public static byte[] event(String id, String event, String data) {
        StringBuilder frame = new StringBuilder(data.length() + 64);
        if (id != null) {
            field(frame, "id", singleLine("id", id));
        }
        if (event != null) {
            field(frame, "event", singleLine("event", event));
        }
        int start = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\n' || c == '\r') {
                field(frame, "data", data.substring(start, i));
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        field(frame, "data", data.substring(start));
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code retry: <millis>\n\n}: the client's reconnection delay. */
    public static byte[] retry(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("retry must be >= 0, was " + millis);
        }
        return ("retry: " + millis + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code : <text>\n\n}: a comment, which clients ignore; keeps idle connections open. */
    public static byte[] comment(String text) {
        return (": " + singleLine("comment", text) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder frame, String name, String value) {
        frame.append(name).append(": ").append(value).append('\n');
    }

    private static String singleLine(String what, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " must not contain a line break");
        }
        return value;
    }
}
