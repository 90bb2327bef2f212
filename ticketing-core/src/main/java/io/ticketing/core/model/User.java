package io.ticketing.core.model;

import java.util.Objects;

/**
 * An authenticated caller, as the host application identifies it. The library does not own users; it
 * only needs an id and a role.
 */
public record User(long id, Role role) {
    public User {
        Objects.requireNonNull(role, "role");
    }

    /**
     * From the id and the role's ordinal: the same in every JVM, and cheap on the reserve path, which looks a
     * buyer up among the listeners of users' updates on every change (a record's own hash would take the
     * role's identity hash through its generated method).
     */
    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + role.ordinal();
    }

    public static User seller(long id) {
        return new User(id, Role.SELLER);
    }

    public static User buyer(long id) {
        return new User(id, Role.BUYER);
    }

    /** The actor string of {@link LastEvent}: {@code buyer:7} or {@code seller:3}. */
    public String actor() {
        return role.wireName() + ":" + id;
    }
}
