package io.ticketing.core.memory;

import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsBroadcasterContract;

class InProcessBroadcasterTest extends StatisticsBroadcasterContract {
    @Override
    protected StatisticsBroadcaster newBroadcaster() {
        return new InProcessBroadcaster();
    }
}
