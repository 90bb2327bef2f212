package io.ticketing.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {
    @Test
    void returnsOnlyWhatWasPutForTheKey() {
        BoundedCache<String, Integer> cache = new BoundedCache<>(4);
        for (int i = 0; i < 1000; i++) {
            cache.put("k" + i, i);
            assertEquals(i, cache.get("k" + i));
        }
        int kept = 0;
        for (int i = 0; i < 1000; i++) {
            Integer v = cache.get("k" + i);
            if (v != null) {
                assertEquals(i, v);
                kept++;
            }
        }
        assertTrue(kept >= 1 && kept <= 4, kept + " kept");
        assertNull(cache.get("never"));
    }

    @Test
    void removeForgetsOnlyThatKey() {
        BoundedCache<Long, String> cache = new BoundedCache<>(1024);
        cache.put(1L, "one");
        cache.put(2L, "two");
        cache.remove(1L);
        cache.remove(3L);
        assertNull(cache.get(1L));
        assertEquals("two", cache.get(2L));
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedCache<>(0));
        assertEquals("x", put(new BoundedCache<>(1), "x"));
    }

    private static String put(BoundedCache<String, String> cache, String v) {
        cache.put("key", v);
        return cache.get("key");
    }
}
