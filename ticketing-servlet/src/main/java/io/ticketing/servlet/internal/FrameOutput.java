package io.ticketing.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * Writes whole SSE frames to a stream's output in as few container calls as the container allows.
 *
 * <p>Portably a frame is {@code write(byte[])} followed by {@code flush()}, because containers buffer
 * writes. Jetty's output also takes a {@link ByteBuffer}, which it sends to the socket as it is, without
 * copying it into a per-stream aggregation buffer: no flush is then needed, and the stream holds no pooled
 * buffer for its whole life. That matters with thousands of streams, both for their memory and because
 * Jetty's buffer pool scans the buffers in use on every acquire. Nothing here refers to Jetty's classes,
 * so the servlets also work where they are hidden from the web application.
 */
final class FrameOutput {
    /** One per output class, shared by every stream whose output is of that class. */
    private static final ClassValue<FrameOutput> BY_CLASS = new ClassValue<>() {
        @Override
        protected FrameOutput computeValue(Class<?> type) {
            return new FrameOutput(byteBufferWrite(type));
        }
    };

    private final MethodHandle byteBufferWrite;

    private FrameOutput(MethodHandle byteBufferWrite) {
        this.byteBufferWrite = byteBufferWrite;
    }

    /** How to write frames to {@code out}; the same instance for every output of its class. */
    static FrameOutput of(ServletOutputStream out) {
        return BY_CLASS.get(out.getClass());
    }

    private static MethodHandle byteBufferWrite(Class<?> type) {
        if (!type.getName().startsWith("org.eclipse.jetty.")) {
            return null;
        }
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(type, "write", MethodType.methodType(void.class, ByteBuffer.class))
                    .asType(MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** Whether frames pass through the container's response buffer (so its size matters). */
    boolean buffered() {
        return byteBufferWrite == null;
    }

    /**
     * Writes a whole frame to {@code out} (an output of the class this was made for); call only when
     * {@code isReady()} said so. The frame's bytes are shared and never modified.
     *
     * @return whether a {@code flush()} must follow, at the next moment the output is ready
     */
    boolean write(ServletOutputStream out, byte[] frame) throws IOException {
        if (byteBufferWrite == null) {
            out.write(frame);
            return true;
        }
        try {
            byteBufferWrite.invokeExact(out, ByteBuffer.wrap(frame));
            return false;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }
}
