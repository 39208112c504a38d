package nostr.relay.edge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import nostr.relay.connection.Connection;
import nostr.relay.connection.Transport;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket, adapted to a {@link Connection}: WebSocket I/O only, no JSON (strfry's
 * RelayWebsocket). It reassembles fragmented text messages (dropping, without buffering, any
 * longer than {@code max_message_length}), answers pings, and writes the connection's outgoing
 * messages as text frames. Frames are demanded one at a time, so a connection whose handling
 * waits (a full verify queue) stops reading and TCP pushes back on its client.
 */
final class RelaySocket implements FrameHandler, Transport {
    private static final Logger LOG = LoggerFactory.getLogger(RelaySocket.class);
    private static final int MAX_CLOSE_REASON_BYTES = 123;

    private final Function<Transport, Connection> connections;
    private final EdgeServer edge;
    private final int maxMessageLength;
    private final String clientIp;
    private volatile CoreSession session;
    private Connection connection;
    private volatile long lastInboundNanos = System.nanoTime();
    private volatile boolean closed;

    // Reassembly of the current message; the reader thread only.
    private Utf8StringBuilder text;
    private long messageBytes;
    private boolean inText;
    private boolean inBinary;

    RelaySocket(Function<Transport, Connection> connections, EdgeServer edge, int maxMessageLength, String clientIp) {
        this.clientIp = clientIp;
        this.connections = connections;
        this.edge = edge;
        this.maxMessageLength = maxMessageLength;
    }

    /**
     * The client's address: the TCP peer, or behind a trusted proxy the forwarded address (null
     * when unknown).
     */
    java.net.InetAddress remoteAddress() {
        return clientIp.isEmpty() ? null : IpBlocklist.parse(clientIp).orElse(null);
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        this.connection = connections.apply(this);
        edge.opened(this);
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        lastInboundNanos = System.nanoTime();
        switch (frame.getOpCode()) {
            case OpCode.TEXT -> {
                inText = true;
                inBinary = false;
                messageBytes = 0;
                text = null;
                data(frame);
            }
            case OpCode.CONTINUATION -> {
                if (inText) {
                    data(frame);
                } else if (inBinary && frame.isFin()) {
                    inBinary = false;
                    connection.onBinary();
                }
            }
            case OpCode.BINARY -> {
                inText = false;
                inBinary = !frame.isFin();
                if (frame.isFin()) {
                    connection.onBinary();
                }
            }
            case OpCode.PING -> {
                ByteBuffer payload = ByteBuffer.allocate(frame.getPayloadLength());
                if (frame.hasPayload()) {
                    payload.put(frame.getPayload().slice()).flip();
                }
                session.sendFrame(new Frame(OpCode.PONG, payload), Callback.NOOP, false);
            }
            case OpCode.CLOSE -> {
                // Jetty answers the close once the callback completes; no more demand.
                callback.succeeded();
                return;
            }
            default -> { }
        }
        callback.succeeded();
        session.demand();
    }

    private void data(Frame frame) {
        messageBytes += frame.getPayloadLength();
        if (messageBytes <= maxMessageLength) {
            if (text == null) {
                text = new Utf8StringBuilder((int) Math.min(maxMessageLength, Math.max(64, frame.getPayloadLength())));
            }
            if (frame.hasPayload()) {
                text.append(frame.getPayload());
            }
        } else {
            text = null;
        }
        if (!frame.isFin()) {
            return;
        }
        inText = false;
        Utf8StringBuilder complete = text;
        text = null;
        if (messageBytes > maxMessageLength) {
            connection.onOversized(messageBytes);
            return;
        }
        String message;
        try {
            message = complete == null ? "" : complete.takeCompleteString(IllegalArgumentException::new);
        } catch (IllegalArgumentException e) {
            connection.onInvalidUtf8();
            return;
        }
        connection.onText(message);
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        LOG.debug("websocket error from {}: {}", remote(), cause.toString());
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        closed = true;
        if (connection != null) {
            connection.onClosed();
        }
        edge.closed(this);
        callback.succeeded();
    }

    // ---- Transport ----------------------------------------------------------------------------

    @Override
    public void send(List<byte[]> messages, Runnable done) {
        int last = messages.size() - 1;
        for (int i = 0; i < last; i++) {
            session.sendFrame(new Frame(OpCode.TEXT, ByteBuffer.wrap(messages.get(i))), Callback.NOOP, true);
        }
        session.sendFrame(new Frame(OpCode.TEXT, ByteBuffer.wrap(messages.get(last))),
                Callback.from(done, x -> done.run()), false);
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    @Override
    public void close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        String shortReason = r.length <= MAX_CLOSE_REASON_BYTES ? reason
                : new String(r, 0, MAX_CLOSE_REASON_BYTES - 3, StandardCharsets.UTF_8).replace("\uFFFD", "") + "...";
        session.close(code, shortReason, Callback.NOOP);
        // A client that stopped reading will never take the close frame either: cut it off.
        edge.abortLater(this);
    }

    // ---- for EdgeServer -------------------------------------------------------------------------

    Connection connection() {
        return connection;
    }

    long lastInboundNanos() {
        return lastInboundNanos;
    }

    boolean isOpen() {
        return session != null && !closed && !session.isClosed();
    }

    void ping() {
        if (session.isOutputOpen()) {
            session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
        }
    }

    void abort() {
        // Not session.isClosed(): after an abnormal close the session counts as closed while its
        // close frame still waits behind a full socket buffer, and nothing would end it.
        if (!closed) {
            session.abort();
        }
    }

    String remote() {
        return session == null ? "?" : String.valueOf(session.getRemoteAddress());
    }
}
