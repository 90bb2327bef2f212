package io.ticketing.servlet.internal;

import java.util.List;

/**
 * A request path relative to the mount, split at {@code /}. Ids in the path are positive decimal longs;
 * anything else ({@code abc}, {@code -1}, {@code 0}, {@code 99999999999999999999}) names no resource.
 */
record ApiPath(String raw, List<String> segments) {

    static ApiPath of(String pathInfo) {
        String raw = pathInfo == null || pathInfo.isEmpty() ? "/" : pathInfo;
        String trimmed = raw.startsWith("/") ? raw.substring(1) : raw;
        return new ApiPath(raw, trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1)));
    }

    int size() {
        return segments.size();
    }

    String segment(int index) {
        return segments.get(index);
    }

    /** Whether the path has exactly these segments, {@code null} matching any one. */
    boolean matches(String... pattern) {
        if (pattern.length != segments.size()) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] != null && !pattern[i].equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The positive id at {@code index}; a 404 {@link ApiException} if it is not one. */
    long id(int index) {
        String text = segments.get(index);
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                long value = Long.parseLong(text);
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException tooLarge) {
                // falls through to the 404
            }
        }
        throw ApiException.notFound(raw);
    }

    /** The positive int at {@code index}; a 404 {@link ApiException} if it is not one. */
    int number(int index) {
        long value = id(index);
        if (value > Integer.MAX_VALUE) {
            throw ApiException.notFound(raw);
        }
        return (int) value;
    }
}
