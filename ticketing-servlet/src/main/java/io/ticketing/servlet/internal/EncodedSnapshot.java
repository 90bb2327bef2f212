package io.ticketing.servlet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.model.EventStatistics;

/**
 * One statistics snapshot serialised once and shared by every stream of its event, as a
 * {@code status_update} frame or as the {@code initial_status} frame that starts a stream. Immutable apart
 * from its frames' memos; safe to share between threads.
 */
final class EncodedSnapshot {
    static final String INITIAL_STATUS = "initial_status";
    static final String STATUS_UPDATE = "status_update";

    private final long version;
    private final SharedFrame update;
    private final SharedFrame initial;

    private EncodedSnapshot(long version, String id, String json) {
        this.version = version;
        this.update = new SharedFrame(id, STATUS_UPDATE, () -> json);
        this.initial = new SharedFrame(id, INITIAL_STATUS, () -> json);
        update.bytes(true); // what nearly every stream sends
    }

    static EncodedSnapshot of(EventStatistics statistics, ObjectMapper mapper, StreamIds ids) {
        return new EncodedSnapshot(statistics.version(), ids.of(statistics.version()), json(mapper, statistics));
    }

    /** {@code value} as JSON; a failure is a bug (every value is a plain record). */
    static String json(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    long version() {
        return version;
    }

    SharedFrame updateFrame() {
        return update;
    }

    /** The same snapshot as the first event of a stream. */
    SharedFrame initialFrame() {
        return initial;
    }
}
