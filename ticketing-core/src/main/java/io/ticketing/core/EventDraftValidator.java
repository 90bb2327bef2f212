package io.ticketing.core;

import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventRules;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The creation and sales rules of the API contract, each reported with the path of the offending field. */
final class EventDraftValidator {
    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 10_000;
    static final int MAX_VENUE_NAME = 200;
    static final int MAX_ROWS_OR_COLS = 1000;
    static final int MAX_SECTIONS = 100;
    static final int MAX_SUBSECTIONS = 100;
    static final long MAX_TICKETS = 1_000_000;
    static final int MAX_SEATS_PER_BUYER = 1000;
    /**
     * Largest seat price in minor units, as {@code api.md} states: a reservation of at most
     * {@value ReservationRequestValidator#MAX_SEATS} seats then totals at most 5 × 10^10, exact in a long, a
     * PostgreSQL {@code bigint} and a browser's number.
     */
    static final long MAX_PRICE = 1_000_000_000;
    private static final Pattern SECTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,20}");

    private EventDraftValidator() {
    }

    /** Returns the draft with its default status filled in, or throws {@code validation_failed}. */
    static EventDraft validate(EventDraft draft) {
        if (draft == null) {
            throw TicketingException.validation(null, "an event is required");
        }
        if (draft.name() == null || draft.name().isBlank()) {
            throw TicketingException.validation("name", "name must not be blank");
        }
        TextRules.check("name", draft.name(), MAX_NAME, false);
        if (draft.description() != null) {
            TextRules.check("description", draft.description(), MAX_DESCRIPTION, true);
        }
        if (draft.venueName() != null) {
            TextRules.check("venueName", draft.venueName(), MAX_VENUE_NAME, false);
        }
        EventStatus status = draft.status() == null ? EventStatus.AVAILABLE : draft.status();
        if (status != EventStatus.DRAFT && status != EventStatus.AVAILABLE) {
            throw TicketingException.validation("status", "status must be draft or available");
        }
        validate(draft.seatingConfig());
        return new EventDraft(draft.name(), draft.description(), draft.venueName(), status, draft.seatingConfig(),
                validate(draft.rules()));
    }

    /** Returns the rules, or throws {@code validation_failed} naming the rule out of range. */
    static EventRules validate(EventRules rules) {
        if (rules.maxSeatsPerBuyer() != null) {
            range("rules.maxSeatsPerBuyer", rules.maxSeatsPerBuyer(), 1, MAX_SEATS_PER_BUYER);
        }
        return rules;
    }

    private static void validate(SeatingConfig config) {
        if (config == null) {
            throw TicketingException.validation("seatingConfig", "seatingConfig is required");
        }
        range("seatingConfig.rows", config.rows(), 1, MAX_ROWS_OR_COLS);
        range("seatingConfig.cols", config.cols(), 1, MAX_ROWS_OR_COLS);
        if (config.sections() == null || config.sections().isEmpty() || config.sections().size() > MAX_SECTIONS) {
            throw TicketingException.validation("seatingConfig.sections",
                    "seatingConfig.sections must have 1 to " + MAX_SECTIONS + " sections");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.sections().size(); i++) {
            String path = "seatingConfig.sections[" + i + "]";
            Section s = config.sections().get(i);
            if (s == null) {
                throw TicketingException.validation(path, path + " must not be null");
            }
            if (s.name() == null || s.name().isBlank()) {
                throw TicketingException.validation(path + ".name", path + ".name must not be blank");
            }
            if (!SECTION_NAME.matcher(s.name()).matches()) {
                throw TicketingException.validation(path + ".name",
                        path + ".name must be at most 20 characters of A-Z, a-z, 0-9, _ and -");
            }
            if (!names.add(s.name())) {
                throw TicketingException.validation(path + ".name", "section name " + s.name() + " is used twice");
            }
            range(path + ".price", s.price(), 0, MAX_PRICE);
            range(path + ".subsections", s.subsections(), 1, MAX_SUBSECTIONS);
        }
        if (config.totalTickets() > MAX_TICKETS) {
            throw TicketingException.validation("seatingConfig", "the seating config makes " + config.totalTickets()
                    + " tickets; at most " + MAX_TICKETS + " are allowed");
        }
    }

    static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw TicketingException.validation(field, field + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
