package io.ticketing.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class UserTest {

    @Test
    void theHashIsTheSameInEveryJvmAndFollowsEquality() {
        assertEquals(Long.hashCode(1001) * 31 + Role.BUYER.ordinal(), User.buyer(1001).hashCode());
        assertEquals(Long.hashCode(1L << 40) * 31 + Role.SELLER.ordinal(), User.seller(1L << 40).hashCode());
        assertEquals(User.buyer(7), new User(7, Role.BUYER));
        assertEquals(User.buyer(7).hashCode(), new User(7, Role.BUYER).hashCode());
        assertNotEquals(User.buyer(7), User.seller(7));
        assertNotEquals(User.buyer(7).hashCode(), User.seller(7).hashCode());
    }
}
