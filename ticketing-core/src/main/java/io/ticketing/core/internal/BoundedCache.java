package io.ticketing.core.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values that never change for their key, kept for at most {@code capacity} keys: when full, it forgets
 * everything and starts over. Thread-safe; a value read from it is always one that was put for that key.
 */
public final class BoundedCache<K, V> {
    private final int capacity;
    private final Map<K, V> values = new ConcurrentHashMap<>();

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** The value kept for {@code key}, or null. */
    public V get(K key) {
        return values.get(key);
    }

    public void put(K key, V value) {
        if (values.size() >= capacity) {
            values.clear();
        }
        values.put(key, value);
    }

    public void remove(K key) {
        values.remove(key);
    }
}
