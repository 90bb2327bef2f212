package io.ticketing.core.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.internal.SnapshotUpdate;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format: on channel {@code <prefix><eventId>}, a message is the sending node's id, one space, and
 * the snapshot as the statistics JSON of the HTTP API (one UTF-8 JSON object, the same as the {@code data:}
 * of an SSE {@code status_update}), then, if the seats its change moved are known, a line feed and those
 * as a JSON array of {@code [section, subsection, row, seat, "a"|"r"|"s"]} (empty for a status change;
 * about 20 bytes a seat). JSON never holds a raw line feed, so the split is unambiguous. The id lets a node
 * recognise its own messages when Redis echoes them back without parsing them. A message that is the bare
 * JSON (no id) is decoded too, with unknown seat changes. Thread-safe.
 */
final class SnapshotCodec {
    private final String channelPrefix;
    private final String ownTag;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final ObjectWriter seatsWriter;
    private final ObjectReader seatsReader;

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
        this.seatsWriter = mapper.writerFor(Object[][].class);
        this.seatsReader = mapper.readerFor(JsonNode.class);
    }

    String channel(long eventId) {
        return channelPrefix + eventId;
    }

    /** The PSUBSCRIBE pattern that matches every event's channel. */
    String pattern() {
        return channelPrefix + "*";
    }

    /** The message this node sends for {@code update}. */
    String encode(SnapshotUpdate update) {
        EventStatistics statistics = update.statistics();
        try {
            String message = ownTag + writer.writeValueAsString(statistics);
            if (update.seatChanges() == null) {
                return message;
            }
            Object[][] seats = new Object[update.seatChanges().size()][];
            for (int i = 0; i < seats.length; i++) {
                SeatChange c = update.seatChanges().get(i);
                seats[i] = new Object[] {c.section(), c.subsection(), c.row(), c.seat(), String.valueOf(SeatMap.code(c.status()))};
            }
            return message + '\n' + seatsWriter.writeValueAsString(seats);
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
    SnapshotUpdate decode(String channel, String message) {
        int json = message.startsWith("{") ? 0 : message.indexOf(' ') + 1;
        int seats = message.indexOf('\n', json);
        EventStatistics statistics;
        List<SeatChange> changes;
        try {
            statistics = reader.readValue(message.substring(json, seats < 0 ? message.length() : seats));
            changes = seats < 0 ? null : seatChanges(seatsReader.readTree(message.substring(seats + 1)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a statistics snapshot: " + e.getOriginalMessage(), e);
        }
        if (statistics == null || !channel.equals(channel(statistics.eventId()))) {
            throw new IllegalArgumentException("snapshot does not belong to channel " + channel);
        }
        return new SnapshotUpdate(statistics, changes);
    }

    private static List<SeatChange> seatChanges(JsonNode seats) {
        if (seats == null || !seats.isArray()) {
            throw new IllegalArgumentException("seat changes are not an array");
        }
        List<SeatChange> changes = new ArrayList<>(seats.size());
        for (JsonNode s : seats) {
            if (!s.isArray() || s.size() != 5 || !s.get(0).isTextual() || !s.get(1).isInt() || !s.get(2).isInt()
                    || !s.get(3).isInt() || !s.get(4).isTextual()) {
                throw new IllegalArgumentException("not a seat change: " + s);
            }
            changes.add(new SeatChange(s.get(0).asText(), s.get(1).asInt(), s.get(2).asInt(), s.get(3).asInt(),
                    SeatMap.status(s.get(4).asText())));
        }
        return changes;
    }
}
