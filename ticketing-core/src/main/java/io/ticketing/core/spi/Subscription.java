package io.ticketing.core.spi;

/** A live subscription; after {@link #close()} returns, its listener receives no new calls. Idempotent. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
