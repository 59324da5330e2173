package io.integrationhub.dataplane.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Helidon's HTTP/1.1 connections with a bound on the one line Helidon 4.5 reads without any: the
 * size line of a chunk in a chunked request body. Helidon reads that line with
 * {@code DataReader.readLine()}, which looks for its end for up to {@code Integer.MAX_VALUE} bytes,
 * holding them all; one request whose size line never ends ({@code 1111...}) filled a 256 MiB heap in
 * under two seconds. Here every HTTP/1.1 connection reads through a {@link DataReader} whose
 * {@code readLine()} stops at {@link #MAX_LINE_BYTES} and answers 400 (the edge's framing error),
 * closing the connection. The request line and headers are read with their own configured bounds and
 * are untouched.
 */
public final class ChunkLineLimit implements ServerConnectionSelector {
    /** A chunk size line: at most 16 hex digits, plus extensions (which the hub never needs). */
    public static final int MAX_LINE_BYTES = 4 * 1024;

    private final ServerConnectionSelector http1;

    private ChunkLineLimit(ServerConnectionSelector http1) {
        this.http1 = http1;
    }

    /** HTTP/1.1 as {@code config} sets it up, with the chunk size line bounded. */
    public static ServerConnectionSelector http1(Http1Config config) {
        return new ChunkLineLimit(
                Http1ConnectionSelector.builder().config(config).build());
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        return http1.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext context) {
        return http1.connection(new BoundedContext(context, new LineBoundedReader(context.dataReader())));
    }

    /** Reads what the connection's own reader reads, with {@code readLine()} bounded. */
    static final class LineBoundedReader extends DataReader {
        LineBoundedReader(DataReader source) {
            super(() -> {
                source.ensureAvailable();
                return source.readBytes(source.available());
            });
        }

        @Override
        public String readLine() {
            int length = findNewLine(MAX_LINE_BYTES);
            if (length >= MAX_LINE_BYTES) {
                throw RequestException.builder()
                        .type(DirectHandler.EventType.BAD_REQUEST)
                        .status(Status.BAD_REQUEST_400)
                        .message("chunk size line longer than " + MAX_LINE_BYTES + " bytes")
                        .setKeepAlive(false)
                        .build();
            }
            String line = readAsciiString(length);
            skip(2);
            return line;
        }
    }

    /** The connection's context with the bounded reader in place of its own. */
    private record BoundedContext(ConnectionContext context, DataReader reader) implements ConnectionContext {
        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public ListenerContext listenerContext() {
            return context.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return context.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return context.dataWriter();
        }

        @Override
        public Router router() {
            return context.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return context.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return context.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return context.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return context.localPeer();
        }

        @Override
        public boolean isSecure() {
            return context.isSecure();
        }

        @Override
        public String socketId() {
            return context.socketId();
        }

        @Override
        public String childSocketId() {
            return context.childSocketId();
        }
    }
}
