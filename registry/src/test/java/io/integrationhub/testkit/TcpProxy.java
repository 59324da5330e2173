package io.integrationhub.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free 127.0.0.1 port in front of a real local service, so a test can cut the
 * service for its own clients without stopping the shared one: {@link #down()} closes every
 * connection and refuses new ones (nothing listens on the port), {@link #up()} listens again on the
 * same port.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    private TcpProxy(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    /** A proxy to {@code host:port} (which must be a 127.0.0.0/8 address), listening at once. */
    public static TcpProxy start(String host, int targetPort) {
        try {
            InetAddress address = InetAddress.getByName(host);
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("tests only proxy local services");
            }
            int free;
            try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort();
            }
            TcpProxy proxy = new TcpProxy(new InetSocketAddress(address, targetPort), free);
            proxy.up();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Listens (again) on {@link #port()} and forwards every connection to the target. */
    public synchronized void up() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listener = server;
            Thread.ofVirtual().name("tcp-proxy-accept-" + port).start(() -> accept(server));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " again", e);
        }
    }

    /** Closes every connection through the proxy and stops listening: clients see a dead peer, then refused connects. */
    public synchronized void down() {
        ServerSocket server = listener;
        listener = null;
        if (server != null) {
            closeQuietly(server);
        }
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    public boolean isUp() {
        return listener != null;
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed by down()
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 2_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            if (listener != server) { // went down meanwhile
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            Thread.ofVirtual().start(() -> pump(client, upstream));
            Thread.ofVirtual().start(() -> pump(upstream, client));
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        down();
    }
}
