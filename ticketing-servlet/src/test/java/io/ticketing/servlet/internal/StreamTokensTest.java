package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.User;
import io.ticketing.servlet.Credential;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");
    private static final User BUYER = User.buyer(7);

    private static StreamTokens at(Instant now) {
        return new StreamTokens(SECRET, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenOpensStreamsForItsCredentialFor60Seconds() {
        Credential credential = new Credential(BUYER, T0.plusSeconds(3600));
        StreamTokens.Issued issued = at(T0).issue(credential);
        assertEquals(T0.plusSeconds(60), issued.expiresAt());
        assertEquals(Optional.of(credential), at(T0.plusSeconds(59)).verify(issued.token()));
        assertEquals(Optional.empty(), at(T0.plusSeconds(60)).verify(issued.token()));
    }

    @Test
    void aTokenOfALastingCredentialCarriesNoExpiry() {
        StreamTokens.Issued issued = at(T0).issue(Credential.lasting(User.seller(3)));
        assertEquals(Optional.of(Credential.lasting(User.seller(3))), at(T0).verify(issued.token()));
    }

    @Test
    void aTokenWhoseCredentialExpiredOpensNothing() {
        StreamTokens.Issued issued = at(T0).issue(new Credential(BUYER, T0.plusSeconds(10)));
        assertTrue(at(T0.plusSeconds(9)).verify(issued.token()).isPresent());
        assertEquals(Optional.empty(), at(T0.plusSeconds(10)).verify(issued.token()));
    }

    @Test
    void anAlteredForeignOrMalformedTokenOpensNothing() {
        String token = at(T0).issue(Credential.lasting(BUYER)).token();
        String payload = token.substring(0, token.indexOf('.'));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.US_ASCII)
                        .replace(".7.", ".8.").getBytes(StandardCharsets.US_ASCII));
        assertEquals(Optional.empty(), at(T0).verify(forged + token.substring(token.indexOf('.'))));
        byte[] otherSecret = SECRET.clone();
        otherSecret[0] = 'x';
        assertEquals(Optional.empty(), new StreamTokens(otherSecret, Clock.fixed(T0, ZoneOffset.UTC)).verify(token));
        for (String bad : new String[] {"", ".", "abc", "abc.def", "%%%.%%%", token + "x", "x".repeat(600)}) {
            assertEquals(Optional.empty(), at(T0).verify(bad), bad);
        }
    }
}
