package io.ticketing.core.internal;

import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.UserListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's subscribers of users' updates. {@link #deliver} calls the user's listeners on the calling
 * thread (they must not block); a user with no subscriber costs one map look-up. Thread-safe.
 */
public final class UserFanout {
    private static final Logger log = LoggerFactory.getLogger(UserFanout.class);
    private final ConcurrentHashMap<User, Set<UserListener>> byUser = new ConcurrentHashMap<>();

    /**
     * Adds a listener; from when this returns, {@link #hasListener} answers true for its user until the
     * subscription is closed. Adding happens under the user's map entry, so a concurrent close of the
     * user's last other listener cannot drop the set this listener joins.
     */
    public Subscription subscribe(User user, UserListener listener) {
        byUser.compute(user, (u, set) -> {
            Set<UserListener> listeners = set == null ? new CopyOnWriteArraySet<>() : set;
            listeners.add(listener);
            return listeners;
        });
        return () -> byUser.computeIfPresent(user, (u, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether the user has a listener on this node now. */
    public boolean hasListener(User user) {
        return byUser.containsKey(user);
    }

    public void deliver(UserUpdate update) {
        Set<UserListener> listeners = byUser.get(update.user());
        if (listeners != null) {
            for (UserListener listener : listeners) {
                try {
                    listener.onUpdate(update);
                } catch (RuntimeException e) {
                    log.warn("A listener of user {} failed", update.user().id(), e);
                }
            }
        }
    }

    /** Tells every listener that updates may have been lost. */
    public void gap() {
        byUser.values().forEach(set -> set.forEach(UserListener::onGap));
    }
}
