package io.ticketing.servlet.testing;

import io.ticketing.core.memory.InProcessBroadcaster;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.ForwardingStatisticsBroadcaster;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.UserListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process broadcaster, plus {@link #gapUsers()}: tells every user listener that updates may have been
 * lost, as a pub/sub transport does after it reconnects.
 */
public final class GapBroadcaster extends ForwardingStatisticsBroadcaster {
    private final Set<UserListener> users = ConcurrentHashMap.newKeySet();

    public GapBroadcaster() {
        super(new InProcessBroadcaster());
    }

    /** Calls {@link UserListener#onGap()} of every user listener subscribed now. */
    public void gapUsers() {
        users.forEach(UserListener::onGap);
    }

    @Override
    public Subscription subscribe(User user, UserListener listener) {
        Subscription subscription = super.subscribe(user, listener);
        users.add(listener);
        return () -> {
            users.remove(listener);
            subscription.close();
        };
    }
}
