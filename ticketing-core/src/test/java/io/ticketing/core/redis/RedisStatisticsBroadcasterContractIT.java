package io.ticketing.core.redis;

import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsBroadcasterContract;

/** The contract over Redis: every snapshot is published on one node and received on another. */
class RedisStatisticsBroadcasterContractIT extends StatisticsBroadcasterContract {
    private final String prefix = RedisAdmin.unique("it-contract") + ":";

    @Override
    protected StatisticsBroadcaster newBroadcaster() {
        return node("subscriber");
    }

    @Override
    protected StatisticsBroadcaster newPeer() {
        return node("publisher");
    }

    private RedisStatisticsBroadcaster node(String role) {
        return RedisStatisticsBroadcaster.builder().redisUri(RedisAdmin.uri()).channelPrefix(prefix)
                .clientName(RedisAdmin.unique("contract-" + role)).build();
    }
}
