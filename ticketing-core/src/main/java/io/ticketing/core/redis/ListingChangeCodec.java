package io.ticketing.core.redis;

/**
 * The wire format of listing changes ({@code active} set on an event): channel {@code <channel prefix>listing}
 * (inside the node's {@code PSUBSCRIBE <channel prefix>*}, and never an event's or a user's channel), message
 * {@code <node id> <event id>}.
 */
final class ListingChangeCodec {
    private final String channel;
    private final String ownTag;

    ListingChangeCodec(String channelPrefix, String nodeId) {
        this.channel = channelPrefix + "listing";
        this.ownTag = nodeId + " ";
    }

    String channel() {
        return channel;
    }

    boolean isListingChannel(String channel) {
        return this.channel.equals(channel);
    }

    String encode(long eventId) {
        return ownTag + eventId;
    }

    /** The event id a message of another node carries; {@code IllegalArgumentException} if it carries none. */
    long decode(String message) {
        try {
            long eventId = Long.parseLong(message.substring(message.indexOf(' ') + 1));
            if (eventId <= 0) {
                throw new IllegalArgumentException("not an event id: " + eventId);
            }
            return eventId;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a listing change: " + e.getMessage(), e);
        }
    }
}
