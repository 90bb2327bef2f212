package io.ticketing.core.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;

/**
 * The wire format of users' updates: channel {@code <channel prefix>u:<role>:<user id>} (inside the node's
 * {@code PSUBSCRIBE <channel prefix>*}, and never an event's channel, which ends in digits), message
 * {@code <node id> <UserUpdate as JSON>}.
 */
final class UserUpdateCodec {
    private final String userPrefix;
    private final String ownTag;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    UserUpdateCodec(String channelPrefix, String nodeId) {
        this.userPrefix = channelPrefix + "u:";
        this.ownTag = nodeId + " ";
        var mapper = TicketingJson.newObjectMapper();
        this.writer = mapper.writerFor(UserUpdate.class);
        this.reader = mapper.readerFor(UserUpdate.class);
    }

    String channel(User user) {
        return userPrefix + user.role().wireName() + ":" + user.id();
    }

    boolean isUserChannel(String channel) {
        return channel.startsWith(userPrefix);
    }

    String encode(UserUpdate update) {
        try {
            return ownTag + writer.writeValueAsString(update);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a user update could not be written as JSON", e);
        }
    }

    /** The update a message of another node carries; {@code IllegalArgumentException} if it is none for that channel. */
    UserUpdate decode(String channel, String message) {
        int space = message.indexOf(' ');
        UserUpdate update;
        try {
            update = reader.readValue(message.substring(space + 1));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a user update: " + e.getMessage(), e);
        }
        if (update == null || !channel.equals(channel(update.user()))) {
            throw new IllegalArgumentException("user update does not belong to channel " + channel);
        }
        return update;
    }
}
