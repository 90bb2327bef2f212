package io.ticketing.core.spi;

import io.ticketing.core.model.UserUpdate;

/**
 * Receives one user's updates. Called on a broadcaster thread (or the publishing thread): must not block.
 * Updates of one reservation may arrive out of order from different nodes or threads; a listener keeps the
 * latest status ({@code held} before {@code confirmed} before {@code cancelled}/{@code expired}).
 */
public interface UserListener {
    void onUpdate(UserUpdate update);

    /**
     * Updates may have been lost (a cross-node transport reconnected): the listener re-reads what it shows
     * from the store. Default: nothing.
     */
    default void onGap() {
    }
}
