package io.ticketing.core.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Values that never change for their key, kept for at most {@code capacity} keys (rounded up to a power of
 * two): each key has one slot, chosen by its hash, and a put replaces whatever another key had there.
 * Thread-safe, lock-free, and a put allocates one small entry; a value read from it is always one that was
 * put for that key.
 */
public final class BoundedCache<K, V> {
    private final AtomicReferenceArray<Entry<K, V>> slots;

    private record Entry<K, V>(K key, V value) {
    }

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        slots = new AtomicReferenceArray<>(Math.max(1, Integer.highestOneBit(capacity - 1) << 1));
    }

    /** The value kept for {@code key}, or null. */
    public V get(K key) {
        Entry<K, V> e = slots.get(slot(key));
        return e != null && e.key.equals(key) ? e.value : null;
    }

    public void put(K key, V value) {
        slots.lazySet(slot(key), new Entry<>(key, value));
    }

    public void remove(K key) {
        int slot = slot(key);
        Entry<K, V> e = slots.get(slot);
        if (e != null && e.key.equals(key)) {
            slots.compareAndSet(slot, e, null);
        }
    }

    private int slot(K key) {
        int h = key.hashCode() * 0x9E3779B9;
        return (h ^ h >>> 16) & (slots.length() - 1);
    }
}
