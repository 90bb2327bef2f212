package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedChangeReadsTest {
    private final SharedChangeReads reads = new SharedChangeReads();

    @Test
    void aReadOfTheSameGapWhileOneRunsWaitsForItAndALaterOneReadsAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ChangePage page = new ChangePage(12, List.of(), null);
        CompletableFuture<ChangePage> first = CompletableFuture.supplyAsync(() -> reads.read(12, 5, 1000, (s, l) -> {
            calls.incrementAndGet();
            inside.countDown();
            await(release);
            return page;
        }));
        assertTrue(inside.await(20, TimeUnit.SECONDS));
        CompletableFuture<ChangePage> second = new CompletableFuture<>();
        Thread waiter = new Thread(() -> second.complete(reads.read(12, 5, 1000, (s, l) -> {
            calls.incrementAndGet();
            return new ChangePage(12, List.of(), null);
        })));
        waiter.start();
        ChangePage otherGap = reads.read(12, 6, 1000, (s, l) -> {
            calls.incrementAndGet();
            return new ChangePage(12, List.of(), null);
        });
        assertEquals(2, calls.get(), "another gap reads on its own at once");
        awaitParked(waiter); // the second read found the first one under way
        release.countDown();
        assertSame(page, first.get(20, TimeUnit.SECONDS));
        assertSame(page, second.get(20, TimeUnit.SECONDS));
        assertEquals(2, calls.get());
        reads.read(12, 5, 1000, (s, l) -> {
            calls.incrementAndGet();
            return otherGap;
        });
        assertEquals(3, calls.get(), "once done, the next read of the gap goes to the store");
    }

    @Test
    void aFailedReadFailsItsWaitersWithTheSameError() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TicketingException expired = new TicketingException(ErrorCode.HISTORY_EXPIRED, "gone");
        CompletableFuture<ChangePage> first = CompletableFuture.supplyAsync(() -> reads.read(1, 0, 10, (s, l) -> {
            inside.countDown();
            await(release);
            throw expired;
        }));
        assertTrue(inside.await(20, TimeUnit.SECONDS));
        CompletableFuture<TicketingException> second = new CompletableFuture<>();
        Thread waiter = new Thread(() -> second.complete(assertThrows(TicketingException.class,
                () -> reads.read(1, 0, 10, (s, l) -> {
                    throw new AssertionError("shares the read under way");
                }))));
        waiter.start();
        awaitParked(waiter);
        release.countDown();
        assertSame(expired, second.get(20, TimeUnit.SECONDS));
        assertThrows(Exception.class, () -> first.get(20, TimeUnit.SECONDS));
    }

    /** Waits until {@code t} parks (waiting for the read under way), for 20 s at most. */
    private static void awaitParked(Thread t) {
        Await.until(() -> t.getState() == Thread.State.WAITING, Duration.ofSeconds(20), t.getName() + " parked");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(20, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
