package io.ticketing.core.memory;

import io.ticketing.core.model.User;

/**
 * The {@code buyer:<id>} actor strings of recent buyers, so that a hold or a cancel names its buyer without
 * building the string again: each buyer id has one slot, chosen by its hash, and a miss replaces what another
 * buyer had there. Thread-safe without locks: a slot holds one immutable pair, read and written whole. Memory:
 * at most 4,096 short strings, about 300 KB.
 */
final class BuyerActors {
    private static final int SLOTS = 4096; // a power of two

    private record Actor(long buyerId, String text) {
    }

    private final Actor[] slots = new Actor[SLOTS];

    /** {@code buyer:<buyerId>}: {@link User#actor()} of the buyer, made only when the buyer is not in its slot. */
    String of(long buyerId) {
        int slot = (int) (buyerId * 0x9E3779B97F4A7C15L >>> 52); // the top 12 bits: SLOTS = 2^12
        Actor a = slots[slot];
        if (a == null || a.buyerId != buyerId) {
            a = new Actor(buyerId, User.buyer(buyerId).actor());
            slots[slot] = a;
        }
        return a.text;
    }
}
