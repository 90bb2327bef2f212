package io.ticketing.servlet;

import java.util.Map;

/**
 * A point-in-time view of this node's SSE streams, as served by {@code GET /stream/stats}.
 *
 * @param connections        streams open now
 * @param events             open streams per event id (only events with at least one stream)
 * @param messagesSent       snapshots written so far ({@code initial_status} and {@code status_update};
 *                           heartbeats not counted)
 * @param messagesConflated  updates a stream skipped because it had not yet written the one before
 * @param slowClientsDropped streams closed because the client stayed unwritable past the slow-client timeout
 */
public record ConnectionStatistics(int connections, Map<Long, Integer> events, long messagesSent,
                                   long messagesConflated, long slowClientsDropped) {
    public ConnectionStatistics {
        events = Map.copyOf(events);
    }
}
