package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import io.ticketing.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SubscriberLivenessTest {

    @Test
    void aSubscriberConnectionThatStopsAnsweringPingsIsReplaced() throws Exception {
        try (DeafRedis server = new DeafRedis();
             RedisStatisticsBroadcaster broadcaster = RedisStatisticsBroadcaster.builder()
                     .redisUri("redis://127.0.0.1:" + server.port()).clientName("liveness-test")
                     .pingInterval(Duration.ofMillis(100)).reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                     .build()) {
            broadcaster.start(id -> Optional.empty());
            Await.until(broadcaster::isHealthy, Duration.ofSeconds(10), "subscribed to the server that never answers PING");
            Await.until(() -> server.subscriptions.get() >= 2, Duration.ofSeconds(10),
                    "the silent connection is replaced by a new one");
            assertTrue(server.pings.get() >= 1, "it pinged before giving up");
        }
    }

    /**
     * Speaks just enough RESP for a subscriber to connect and PSUBSCRIBE, then stays silent, like a
     * half-open connection: PINGs are swallowed.
     */
    private static final class DeafRedis implements AutoCloseable {
        final AtomicInteger subscriptions = new AtomicInteger();
        final AtomicInteger pings = new AtomicInteger();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private final Thread acceptor = new Thread(this::accept, "deaf-redis-accept");

        DeafRedis() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    Thread t = new Thread(() -> serve(socket), "deaf-redis-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                OutputStream out = socket.getOutputStream();
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("*")) {
                        continue;
                    }
                    List<String> command = new ArrayList<>();
                    for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
                        in.readLine(); // $length
                        command.add(in.readLine());
                    }
                    String name = command.get(0).toUpperCase();
                    if (name.equals("PSUBSCRIBE")) {
                        String pattern = command.get(1);
                        out.write(("*3\r\n$10\r\npsubscribe\r\n$" + pattern.length() + "\r\n" + pattern + "\r\n:1\r\n")
                                .getBytes(StandardCharsets.UTF_8));
                        subscriptions.incrementAndGet();
                    } else if (name.equals("PING")) {
                        pings.incrementAndGet();
                    } else {
                        out.write("+OK\r\n".getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // closed by the client or by close()
            } finally {
                sockets.remove(socket);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
