package io.ticketing.core;

import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;

/** Role checks shared by the services. */
final class Access {
    private Access() {
    }

    /** 401 for an anonymous caller, 403 for the wrong role. */
    static User require(User user, Role role) {
        if (user == null) {
            throw new TicketingException(ErrorCode.UNAUTHORIZED, "sign in as a " + role.wireName() + " to do this");
        }
        if (user.role() != role) {
            throw new TicketingException(ErrorCode.FORBIDDEN, "only a " + role.wireName() + " may do this");
        }
        return user;
    }
}
