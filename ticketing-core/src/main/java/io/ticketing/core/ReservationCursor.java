package io.ticketing.core;

import io.ticketing.core.spi.ReservationPosition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The {@code nextCursor} of a page of reservations: the last one's position, as opaque URL-safe text. */
final class ReservationCursor {
    private static final String PREFIX = "after:";

    private ReservationCursor() {
    }

    static String encode(ReservationPosition last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (PREFIX + last.createdMicros() + ":" + last.id()).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names; {@code validation_failed} (field {@code cursor}) for any other text. */
    static ReservationPosition decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':', PREFIX.length());
            if (text.startsWith(PREFIX) && colon > PREFIX.length() && colon < text.length() - 1) {
                return new ReservationPosition(Long.parseLong(text.substring(PREFIX.length(), colon)),
                        text.substring(colon + 1));
            }
        } catch (IllegalArgumentException e) {
            // fall through to the validation error
        }
        throw TicketingException.validation("cursor", "cursor is not one this API returned");
    }
}
