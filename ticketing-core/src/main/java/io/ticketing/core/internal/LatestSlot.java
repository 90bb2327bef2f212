package io.ticketing.core.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * The newest of a series of versioned values: the one conflating primitive of the fan-out, used wherever a
 * stage may skip intermediate values but must never go back to an older one.
 *
 * <p>Ordering guarantee: the value held only ever moves to a strictly higher version. {@link #offer} of a
 * value whose version is not higher than the one held changes nothing. A consumer that remembers the
 * version it last took and asks {@link #newerThan} with it gets values in strictly increasing versions,
 * each at most once, and never misses the newest: once {@code offer(v)} has returned, {@code newerThan(x)}
 * with {@code x < version(v)} returns {@code v} or a newer value. Memory stays one value however many are
 * offered or however far behind a consumer is.
 *
 * <p>Lock-free; any number of threads may offer and read at once, each consumer keeping its own version.
 * The slot keeps its newest value until it is dropped itself; values are never null.
 *
 * @param <T> what it carries (a statistics snapshot, its encoded frames, …)
 */
public final class LatestSlot<T> {
    private final AtomicReference<T> value = new AtomicReference<>();
    private final ToLongFunction<? super T> version;

    /** An empty slot whose values' versions {@code version} reads. */
    public LatestSlot(ToLongFunction<? super T> version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    /**
     * Makes {@code candidate} the value held if its version is higher than the held one's.
     *
     * @return whether it is now held (false: an equal or newer value already was)
     */
    public boolean offer(T candidate) {
        long offered = version.applyAsLong(Objects.requireNonNull(candidate, "candidate"));
        T current;
        do {
            current = value.get();
            if (current != null && version.applyAsLong(current) >= offered) {
                return false;
            }
        } while (!value.compareAndSet(current, candidate));
        return true;
    }

    /** The value held if its version is higher than {@code taken}, else null. */
    public T newerThan(long taken) {
        T current = value.get();
        return current != null && version.applyAsLong(current) > taken ? current : null;
    }

    /** The value held, or null before the first offer. */
    public T get() {
        return value.get();
    }
}
