package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link StreamHandler#isStreamPath} answers exactly what matching the split path would. */
class StreamPathTest {

    @Test
    void agreesWithTheSplitPathOnEveryShape() {
        List<String> paths = Arrays.asList(null, "", "/", "/stream/stats", "/stream/stats/", "/stream", "/streams/stats",
                "/events/12/stream", "/events/abc/stream", "/events//stream", "/events/stream", "/events/1/2/stream",
                "/events/12/stream/", "/events/12/streams", "/events/12", "/events/12/reservations", "/events",
                "/events/", "/x/events/12/stream", "/events/12/stream/stats", "/me/stream", "/me/stream/", "/stream/");
        for (String path : paths) {
            ApiPath split = ApiPath.of(path);
            boolean expected = split.matches("stream", "stats") || split.matches("stream") || split.matches("me", "stream")
                    || split.matches("events", null, "stream");
            assertEquals(expected, StreamHandler.isStreamPath(path), String.valueOf(path));
        }
    }
}
