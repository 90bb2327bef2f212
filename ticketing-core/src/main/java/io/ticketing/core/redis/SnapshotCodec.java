package io.ticketing.core.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.EventStatistics;

/**
 * The wire format: a snapshot travels as the statistics JSON of the HTTP API (one UTF-8 JSON object, the
 * same as the {@code data:} of an SSE {@code status_update}) on channel {@code <prefix><eventId>}.
 * Thread-safe.
 */
final class SnapshotCodec {
    private final String channelPrefix;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    SnapshotCodec(String channelPrefix) {
        this.channelPrefix = channelPrefix;
        ObjectMapper mapper = TicketingJson.newObjectMapper();
        this.writer = mapper.writerFor(EventStatistics.class);
        this.reader = mapper.readerFor(EventStatistics.class);
    }

    String channel(long eventId) {
        return channelPrefix + eventId;
    }

    /** The PSUBSCRIBE pattern that matches every event's channel. */
    String pattern() {
        return channelPrefix + "*";
    }

    String encode(EventStatistics statistics) {
        try {
            return writer.writeValueAsString(statistics);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("statistics of event " + statistics.eventId() + " cannot be encoded", e);
        }
    }

    /**
     * Decodes a message received on {@code channel}.
     *
     * @throws IllegalArgumentException if it is not a snapshot, or one of another event than the channel's
     */
    EventStatistics decode(String channel, String message) {
        EventStatistics statistics;
        try {
            statistics = reader.readValue(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a statistics snapshot: " + e.getOriginalMessage(), e);
        }
        if (statistics == null || !channel.equals(channel(statistics.eventId()))) {
            throw new IllegalArgumentException("snapshot does not belong to channel " + channel);
        }
        return statistics;
    }
}
