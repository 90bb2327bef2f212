package io.ticketing.servlet.internal;

import io.ticketing.core.model.User;
import java.time.Instant;

/**
 * Who holds a stream: the client address and user whose caps it counts against, and when the credential it
 * was opened with expires.
 *
 * @param address   the client address ({@link ClientAddresses})
 * @param user      the authenticated user, or null for an anonymous stream
 * @param expiresAt when the stream must close because its credential expires, or null if it does not
 */
record StreamOwner(String address, User user, Instant expiresAt) {
    /** An anonymous stream from {@code address} that never expires. */
    static StreamOwner anonymous(String address) {
        return new StreamOwner(address, null, null);
    }

    /** Whether the credential has expired at {@code now}. */
    boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
