package io.ticketing.servlet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.model.EventStatistics;

/**
 * One statistics snapshot serialised once and shared by every stream of its event: the
 * {@code status_update} frame eagerly, the {@code initial_status} frame on first use. Immutable apart
 * from that memo; safe to share between threads.
 */
final class EncodedSnapshot {
    static final String INITIAL_STATUS = "initial_status";
    static final String STATUS_UPDATE = "status_update";

    private final long version;
    private final String json;
    private final byte[] updateFrame;
    private volatile byte[] initialFrame;

    private EncodedSnapshot(long version, String json) {
        this.version = version;
        this.json = json;
        this.updateFrame = SseFrameEncoder.event(Long.toString(version), STATUS_UPDATE, json);
    }

    static EncodedSnapshot of(EventStatistics statistics, ObjectMapper mapper) {
        try {
            return new EncodedSnapshot(statistics.version(), mapper.writeValueAsString(statistics));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise statistics of event " + statistics.eventId(), e);
        }
    }

    long version() {
        return version;
    }

    byte[] updateFrame() {
        return updateFrame;
    }

    /** The same snapshot as the first event of a stream. Computed once; a racing duplicate is harmless. */
    byte[] initialFrame() {
        byte[] frame = initialFrame;
        if (frame == null) {
            frame = SseFrameEncoder.event(Long.toString(version), INITIAL_STATUS, json);
            initialFrame = frame;
        }
        return frame;
    }
}
