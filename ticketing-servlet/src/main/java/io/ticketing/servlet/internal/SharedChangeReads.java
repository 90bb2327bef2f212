package io.ticketing.servlet.internal;

import io.ticketing.core.model.ChangePage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets resuming streams share a change-log read: a stream that asks for the changes of an event since a
 * version while a read of exactly those is under way waits for it instead of reading again, so that
 * thousands of clients that missed the same changes and reconnect at once (after a node restart) cost the
 * store one read per distinct gap at a time, not one each. A shared read may have started before the
 * waiting stream's own snapshot and end before it; {@link StreamResume} then starts that stream afresh.
 * Thread-safe.
 */
final class SharedChangeReads {
    private final ConcurrentHashMap<Key, CompletableFuture<ChangePage>> running = new ConcurrentHashMap<>();

    private record Key(long eventId, long since, int limit) {
    }

    /** {@code source}'s page, or that of an identical read under way; its exception if it threw. */
    ChangePage read(long eventId, long since, int limit, StreamResume.ChangeSource source) {
        Key key = new Key(eventId, since, limit);
        CompletableFuture<ChangePage> mine = new CompletableFuture<>();
        CompletableFuture<ChangePage> other = running.putIfAbsent(key, mine);
        if (other != null) {
            try {
                return other.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            ChangePage page = source.changes(since, limit);
            mine.complete(page);
            return page;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }
}
