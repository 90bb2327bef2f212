package io.ticketing.core;

/**
 * The rule for every string the API stores or looks up: at most a given number of UTF-16 characters, no
 * control character (U+0000–U+001F, U+007F–U+009F; a multi-line text may have tab, line feed and carriage
 * return) and no lone surrogate. What passes is stored and returned exactly by every store: PostgreSQL
 * cannot store U+0000, and a lone surrogate has no UTF-8 form.
 */
final class TextRules {
    private TextRules() {
    }

    /** Throws {@code validation_failed} for {@code field} unless {@code value} (not null) follows the rule. */
    static void check(String field, String value, int maxLength, boolean multiline) {
        if (value.length() > maxLength) {
            throw TicketingException.validation(field, field + " must be at most " + maxLength + " characters");
        }
        String problem = problem(value, multiline);
        if (problem != null) {
            throw TicketingException.validation(field, field + " must not contain " + problem);
        }
    }

    /** Whether {@code value} follows the rule for a single-line text of at most {@code maxLength} characters. */
    static boolean isValid(String value, int maxLength) {
        return value.length() <= maxLength && problem(value, false) == null;
    }

    /** What in {@code value} breaks the rule, or null. */
    private static String problem(String value, boolean multiline) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
                return String.format("control characters (U+%04X at index %d)", (int) c, i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "a lone surrogate (at index " + i + ")";
            }
        }
        return null;
    }
}
