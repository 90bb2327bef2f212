package io.ticketing.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

/** A stream's output that records what is written; {@link #isReady()} answers what the test says. */
final class FakeOutput extends ServletOutputStream {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    volatile boolean ready;
    WriteListener listener;

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
        this.listener = writeListener;
    }

    @Override
    public void write(int b) {
        written.write(b);
    }

    String text() {
        return written.toString(StandardCharsets.UTF_8);
    }

    /** An async context whose every method does nothing. */
    static AsyncContext asyncContext() {
        return (AsyncContext) Proxy.newProxyInstance(FakeOutput.class.getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> null);
    }
}
