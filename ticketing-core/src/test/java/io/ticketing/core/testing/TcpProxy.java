package io.ticketing.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy for fault tests: clients connect to {@link #port()} and are relayed to the target.
 * {@link #cut()} drops every connection and refuses new ones (the backend looks down);
 * {@link #restore()} accepts again. Lets a test take a shared PostgreSQL or Redis "down" for its own
 * clients only, without stopping the server.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile int port;
    private volatile boolean closed;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listenOnFreePortBelowEphemeralRange();
    }

    /**
     * Picks a port below the kernel's ephemeral range (which starts at 32768 by default), so that while
     * the proxy is cut no outgoing connection can be given its port and {@link #restore()} can bind it
     * again.
     */
    private void listenOnFreePortBelowEphemeralRange() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                listen(20_000 + ThreadLocalRandom.current().nextInt(12_000));
                return;
            } catch (BindException taken) {
                last = taken;
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    /** Drops every relayed connection and stops listening, so new connections are refused. */
    public synchronized void cut() throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /**
     * Listens again on the same port. A cut listener can hold its port a little longer than {@link #cut()}
     * (the JDK releases it only once its acceptor thread has left {@code accept}, which takes a while on a busy
     * machine), so binding is tried again for up to 10 s before giving up.
     */
    public synchronized void restore() throws IOException {
        if (server != null) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                listen(port);
                return;
            } catch (BindException stillHeld) {
                if (System.nanoTime() > deadline) {
                    throw stillHeld;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    private void listen(int onPort) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        server = s;
        port = s.getLocalPort();
        Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket s) {
        while (!closed && !s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream;
                try {
                    upstream = new Socket(targetHost, targetPort);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return; // server socket closed by cut() or close()
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (SocketException e) {
                // closed by cut() or by a peer
            } catch (IOException e) {
                // same
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump-" + port);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        cut();
    }
}
