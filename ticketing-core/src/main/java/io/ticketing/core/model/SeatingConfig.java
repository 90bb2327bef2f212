package io.ticketing.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The seat layout of an event: every section has {@code subsections} blocks of {@code rows × cols}
 * seats. Validated by the event service; the record itself only copies the list.
 */
public record SeatingConfig(@JsonProperty(required = true) int rows, @JsonProperty(required = true) int cols,
                            @JsonProperty(required = true) List<Section> sections) {
    public SeatingConfig {
        // Unlike List.copyOf, keeps null entries so that validation can name them (sections[2]).
        sections = sections == null ? null : Collections.unmodifiableList(new ArrayList<>(sections));
    }

    /** {@code rows × cols × Σ subsections}, as a long so that oversized configs can be reported. */
    @JsonIgnore
    public long totalTickets() {
        long blocks = 0;
        for (Section s : sections) {
            blocks += s.subsections();
        }
        return (long) rows * cols * blocks;
    }

    /** The section with that name, or {@code null}. */
    public @Nullable Section section(String name) {
        for (int i = 0; i < sections.size(); i++) { // no iterator: this runs for every seat of every reservation
            Section s = sections.get(i);
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Whether the event has this seat. */
    public boolean contains(SeatRef seat) {
        Section s = section(seat.section());
        return s != null && seat.subsection() >= 1 && seat.subsection() <= s.subsections()
                && seat.row() >= 1 && seat.row() <= rows && seat.seat() >= 1 && seat.seat() <= cols;
    }
}
