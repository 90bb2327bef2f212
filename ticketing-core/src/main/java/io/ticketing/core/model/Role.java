package io.ticketing.core.model;

/** What a user may do: sellers create and manage events, buyers reserve seats. */
public enum Role {
    SELLER, BUYER;

    /** The lower-case name used in tokens and actor strings ({@code seller}). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
