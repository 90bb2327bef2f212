package io.ticketing.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void passwordsInUserInfoAndParametersAreMasked() {
        assertEquals("redis://user:****@redis.internal:6379/2", Secrets.maskUrl("redis://user:s3cret@redis.internal:6379/2"));
        assertEquals("rediss://:****@h:6380", Secrets.maskUrl("rediss://:s3cret@h:6380"));
        assertEquals("redis://:****@h", Secrets.maskUrl("redis://:p@ss:w@rd@h"), "the last @ of the authority ends it");
        assertEquals("redis://u:****@local host:6379", Secrets.maskUrl("redis://u:s3cret pw@local host:6379"));
        assertEquals("jdbc:postgresql://db:5432/tickets?user=app&password=****&ssl=true",
                Secrets.maskUrl("jdbc:postgresql://db:5432/tickets?user=app&password=s3cret&ssl=true"));
        assertEquals("jdbc:postgresql://db/t?sslpassword=****;PASSWORD=****",
                Secrets.maskUrl("jdbc:postgresql://db/t?sslpassword=a;PASSWORD=b"));
        assertEquals("jdbc:postgresql://user:****@db/t", Secrets.maskUrl("jdbc:postgresql://user:pw@db/t"));
        assertEquals("cannot reach jdbc:postgresql://db/t?password=**** now: refused",
                Secrets.maskUrl("cannot reach jdbc:postgresql://db/t?password=pw now: refused"), "in a message");
    }

    @Test
    void textWithoutSecretsIsUnchanged() {
        for (String plain : new String[] {"redis://127.0.0.1:6379", "redis://user@h", "jdbc:postgresql://db/t?user=u",
                "not a url: with colon @ and at", "http://h/path?q=1#f"}) {
            assertEquals(plain, Secrets.maskUrl(plain));
        }
        assertNull(Secrets.maskUrl(null));
    }
}
