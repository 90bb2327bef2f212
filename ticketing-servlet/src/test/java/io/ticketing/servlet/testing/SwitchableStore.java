package io.ticketing.servlet.testing;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.spi.ForwardingTicketStore;
import io.ticketing.core.spi.TicketStore;

/** A store that fails every call with {@code unavailable} while {@link #down} is set, as a backend outage does. */
public final class SwitchableStore extends ForwardingTicketStore {
    /** Whether every call fails. */
    public volatile boolean down;

    public SwitchableStore(TicketStore delegate) {
        super(delegate);
    }

    @Override
    protected TicketStore delegate() {
        if (down) {
            throw new TicketingException(ErrorCode.UNAVAILABLE, "the store is down (a test)", null,
                    new IllegalStateException("outage provoked by a test"));
        }
        return super.delegate();
    }
}
