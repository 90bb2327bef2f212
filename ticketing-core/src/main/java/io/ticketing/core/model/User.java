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
