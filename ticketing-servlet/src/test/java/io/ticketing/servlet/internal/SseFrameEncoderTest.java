package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFrameEncoderTest {

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void eventHasIdEventAndDataLinesAndEndsWithABlankLine() {
        assertEquals("id: 57\nevent: initial_status\ndata: {\"a\":1}\n\n",
                text(SseFrameEncoder.event("57", "initial_status", "{\"a\":1}")));
    }

    @Test
    void everyKindOfLineBreakInDataStartsANewDataLine() {
        assertEquals("data: a\ndata: b\ndata: c\ndata: d\n\n", text(SseFrameEncoder.event(null, null, "a\nb\r\nc\rd")));
    }

    @Test
    void emptyLinesAndTrailingBreaksInDataAreKept() {
        assertEquals("data: a\ndata: \ndata: b\ndata: \n\n", text(SseFrameEncoder.event(null, null, "a\n\nb\n")));
        assertEquals("data: \n\n", text(SseFrameEncoder.event(null, null, "")));
    }

    @Test
    void dataIsUtf8() {
        assertEquals("data: Zürich €\n\n", text(SseFrameEncoder.event(null, null, "Zürich €")));
        assertEquals(19, SseFrameEncoder.event(null, null, "Zürich €").length);
    }

    @Test
    void retryAndCommentFrames() {
        assertEquals("retry: 3000\n\n", text(SseFrameEncoder.retry(3000)));
        assertEquals(": heartbeat\n\n", text(SseFrameEncoder.comment("heartbeat")));
    }

    @Test
    void lineBreaksInIdEventOrCommentAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SseFrameEncoder.event("1\n2", "x", "d"));
        assertThrows(IllegalArgumentException.class, () -> SseFrameEncoder.event("1", "x\r", "d"));
        assertThrows(IllegalArgumentException.class, () -> SseFrameEncoder.comment("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> SseFrameEncoder.retry(-1));
    }
}
