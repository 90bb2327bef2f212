package io.ticketing.core.internal;

import java.util.regex.Pattern;

/** Masks secrets in text bound for a log line or an error message. */
public final class Secrets {
    /** What a secret becomes. */
    public static final String MASK = "****";
    /** A query or JDBC property whose name ends with {@code password} ({@code password}, {@code sslpassword}). */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;][^=&;#?\\s]*password=)[^&;#\\s]*");

    private Secrets() {
    }

    /**
     * {@code url} with the password of its user info ({@code redis://user:secret@host}) and the value of
     * every parameter named {@code …password} ({@code jdbc:postgresql://h/db?user=u&password=secret})
     * replaced by {@value #MASK}; null for null. Works on text that is not a valid URI too, such as an error
     * message with a URL in it: a space ends a parameter's value, and the user info may take more than it
     * should (it ends at the last {@code @} before a {@code /}, {@code ?} or {@code #}), never less.
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = url;
        int slashes = masked.indexOf("//");
        if (slashes >= 0) {
            int from = slashes + 2;
            int to = from;
            while (to < masked.length() && "/?#".indexOf(masked.charAt(to)) < 0) {
                to++;
            }
            int at = masked.lastIndexOf('@', to - 1);
            int colon = masked.indexOf(':', from);
            if (at >= from && colon >= 0 && colon < at) {
                masked = masked.substring(0, colon + 1) + MASK + masked.substring(at);
            }
        }
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
    }
}
