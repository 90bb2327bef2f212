package io.ticketing.examples.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several {@link SseLoadClient}s that connect their shares of the streams in parallel (stream {@code i} to client
 * {@code i % clients}) and then read them, one selector thread each. Closing closes them all.
 */
record LoadClients(List<SseLoadClient> clients) implements AutoCloseable {

    /** Connects {@code connections} to 127.0.0.1:{@code port} with {@code threads} clients. */
    static LoadClients connect(int port, List<SseLoadClient.Connection> connections, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<SseLoadClient>> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<SseLoadClient.Connection> share = new ArrayList<>();
                for (int i = t; i < connections.size(); i += threads) {
                    share.add(connections.get(i));
                }
                started.add(pool.submit(() -> new SseLoadClient(new InetSocketAddress("127.0.0.1", port), share)));
            }
            List<SseLoadClient> clients = new ArrayList<>();
            for (Future<SseLoadClient> f : started) {
                clients.add(f.get());
            }
            return new LoadClients(clients);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The loopback address stream {@code i} connects from: 127.0.0.2 for the first {@code perAddress} streams,
     * 127.0.0.3 for the next, and so on, so that no address holds more than a server's cap per address.
     */
    static InetAddress source(int i, int perAddress) throws UnknownHostException {
        int n = 2 + i / perAddress;
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n >> 8), (byte) n});
    }

    @Override
    public void close() {
        clients.forEach(SseLoadClient::close);
    }
}
