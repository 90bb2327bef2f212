package io.ticketing.core.testing;

import io.ticketing.core.spi.ForwardingTicketStore;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.TicketStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards every call to another store and counts the calls, so that a test can tell how many store calls
 * an operation makes. Thread-safe if the store it forwards to is.
 */
public class CountingTicketStore extends ForwardingTicketStore {
    private final TicketStore target;
    private final AtomicInteger calls = new AtomicInteger();

    public CountingTicketStore(TicketStore delegate) {
        super(delegate);
        this.target = delegate;
    }

    /**
     * How many calls reached this store since it was made or last {@linkplain #resetCalls() reset}, not
     * counting {@link #expireHolds} and {@link #forgetEnded}, which the hold-expiry sweeper calls on its own
     * schedule, nor {@link #makesReservationIds}, {@link #isHealthy} and {@link #close}.
     */
    public int calls() {
        return calls.get();
    }

    public void resetCalls() {
        calls.set(0);
    }

    @Override
    protected TicketStore delegate() {
        calls.incrementAndGet();
        return target;
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        return target.expireHolds(now, limit);
    }

    @Override
    public int forgetEnded(Instant now) {
        return target.forgetEnded(now);
    }

    @Override
    public boolean makesReservationIds() {
        return target.makesReservationIds();
    }

    @Override
    public boolean isHealthy() {
        return target.isHealthy();
    }

    @Override
    public void close() {
        target.close();
    }
}
