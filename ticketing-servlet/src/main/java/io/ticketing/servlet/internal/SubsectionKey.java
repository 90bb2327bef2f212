package io.ticketing.servlet.internal;

import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A subsection that a stream names in {@code ?seats=section:subsection,…}. */
record SubsectionKey(String section, int subsection) {
    /** The most subsections one stream may name. */
    static final int MAX_PER_STREAM = 20;
    private static final String FIELD = "seats";

    /** The same subsection as the store names it. */
    SubsectionRef ref() {
        return new SubsectionRef(section, subsection);
    }

    /**
     * The subsections named by the (decoded) value of {@code ?seats=} (null: none), in the order given; {@code 400 validation_failed}
     * with field {@code seats} for an empty, malformed, unknown or repeated one, or more than
     * {@value #MAX_PER_STREAM}.
     */
    static List<SubsectionKey> parseAll(String value, SeatingConfig config) {
        if (value == null) {
            return List.of();
        }
        String[] items = value.split(",", -1);
        if (items.length > MAX_PER_STREAM) {
            throw ApiException.validation(FIELD, "seats names " + items.length + " subsections; at most "
                    + MAX_PER_STREAM + " per stream");
        }
        Set<SubsectionKey> keys = new LinkedHashSet<>();
        for (String item : items) {
            SubsectionKey key = parse(item, config);
            if (!keys.add(key)) {
                throw ApiException.validation(FIELD, "seats names " + item + " more than once");
            }
        }
        return List.copyOf(new ArrayList<>(keys));
    }

    private static SubsectionKey parse(String item, SeatingConfig config) {
        int colon = item.lastIndexOf(':');
        if (colon <= 0 || colon == item.length() - 1 || item.length() - colon - 1 > 9
                || !item.substring(colon + 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.validation(FIELD, "each item of seats must be section:subsection (like A:1), not '"
                    + item + "'");
        }
        String section = item.substring(0, colon);
        int subsection = Integer.parseInt(item.substring(colon + 1));
        Section s = config.section(section);
        if (s == null || subsection < 1 || subsection > s.subsections()) {
            throw ApiException.validation(FIELD, "the event has no subsection " + item);
        }
        return new SubsectionKey(section, subsection);
    }
}
