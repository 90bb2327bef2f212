package io.ticketing.core.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.EventStatistics;

/**
 * The wire format: on channel {@code <prefix><eventId>}, a message is the sending node's id, one space, and
 * the snapshot as the statistics JSON of the HTTP API (one UTF-8 JSON object, the same as the {@code data:}
 * of an SSE {@code status_update}). The id lets a node recognise its own messages when Redis echoes them
 * back without parsing them. A message that is the bare JSON (no id) is decoded too. Thread-safe.
 */
final class SnapshotCodec {
    private final String channelPrefix;
    private final String ownTag;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    /** @param nodeId this node's id on the wire: non-empty, no whitespace, unique among the nodes */
    SnapshotCodec(String channelPrefix, String nodeId) {
        if (nodeId.isEmpty() || nodeId.chars().anyMatch(Character::isWhitespace) || nodeId.startsWith("{")) {
            throw new IllegalArgumentException("node id must be non-empty, without whitespace, not start with {");
        }
        this.channelPrefix = channelPrefix;
        this.ownTag = nodeId + " ";
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

    /** The message this node sends for {@code statistics}. */
    String encode(EventStatistics statistics) {
        try {
            return ownTag + writer.writeValueAsString(statistics);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("statistics of event " + statistics.eventId() + " cannot be encoded", e);
        }
    }

    /** Whether this node sent {@code message}; a cheap prefix test. */
    boolean isOwn(String message) {
        return message.startsWith(ownTag);
    }

    /**
     * Decodes a message received on {@code channel}, from any node.
     *
     * @throws IllegalArgumentException if it is not a snapshot, or one of another event than the channel's
     */
    EventStatistics decode(String channel, String message) {
        int json = message.startsWith("{") ? 0 : message.indexOf(' ') + 1;
        EventStatistics statistics;
        try {
            statistics = reader.readValue(message.substring(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a statistics snapshot: " + e.getOriginalMessage(), e);
        }
        if (statistics == null || !channel.equals(channel(statistics.eventId()))) {
            throw new IllegalArgumentException("snapshot does not belong to channel " + channel);
        }
        return statistics;
    }
}
