package io.ticketing.core.model;

import java.util.List;

/**
 * An event's statistics and the seat maps of some of its subsections, all of one {@code version}: read in
 * one step, so that no change of the event lies between any two of them. {@code maps} are in the order
 * they were asked for.
 */
public record SeatMaps(EventStatistics statistics, List<SeatMap> maps) {
    public SeatMaps {
        maps = List.copyOf(maps);
        for (SeatMap map : maps) {
            if (map.version() != statistics.version()) {
                throw new IllegalArgumentException("a seat map of version " + map.version()
                        + " with statistics of version " + statistics.version());
            }
        }
    }

    /** The version of the statistics and of every map. */
    public long version() {
        return statistics.version();
    }
}
