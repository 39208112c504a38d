package nostr.bench.relay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lean RFC 6455 WebSocket client for load generation: one blocking socket, one virtual thread
 * reading frames, sends written into a buffer and flushed when the caller says so (so a window
 * of EVENTs leaves in a few TCP segments). Received text messages are handed to the
 * {@link Listener} as bytes in a reused buffer: nothing is decoded or allocated per message
 * unless the listener wants it. An idle connection costs a socket, a parked virtual thread and
 * its two buffers, which is what lets one process hold 10,000 of them.
 *
 * <p>Not a general client: no extensions (no permessage-deflate), no TLS (loopback only), and
 * masking keys come from a fast non-cryptographic generator, which is fine for a benchmark
 * against our own relay but would not be for a browser-facing client.
 */
final class WebSocketConnection implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    private static final AtomicLong IDS = new AtomicLong();

    /** What a connection reports. Called on its reader thread, one call at a time. */
    interface Listener {
        /** One complete text message: {@code length} UTF-8 bytes at the start of {@code buffer}, valid during the call only. */
        void onText(WebSocketConnection connection, byte[] buffer, int length);

        /** A pong arrived (answer to {@link #ping}). */
        default void onPong(WebSocketConnection connection) {}

        /** The connection ended: a close frame (code, reason), end of stream (-1) or an error. */
        default void onClosed(WebSocketConnection connection, int code, String reason, Throwable error) {}
    }

    private final long id = IDS.incrementAndGet();
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Listener listener;
    private final SplittableRandom maskRandom;
    private final CountDownLatch ended = new CountDownLatch(1);
    private byte[] message = new byte[1024];
    private byte[] scratch = new byte[1024];
    private volatile boolean closing;
    private volatile boolean closed;

    private WebSocketConnection(Socket socket, InputStream in, OutputStream out, Listener listener) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.listener = listener;
        this.maskRandom = new SplittableRandom(System.nanoTime() ^ id * 0x9E3779B97F4A7C15L);
    }

    /**
     * Connects, performs the opening handshake and starts the reader.
     *
     * @param bufferBytes size of the socket's read and write buffers in this process (small for idle connections)
     */
    static WebSocketConnection open(URI url, Listener listener, int bufferBytes, int timeoutMillis) throws IOException {
        if (!"ws".equalsIgnoreCase(url.getScheme())) {
            throw new IOException("only ws:// URLs are supported, got " + url);
        }
        String host = url.getHost();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            InputStream in = new BufferedInputStream(socket.getInputStream(), bufferBytes);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), bufferBytes);
            byte[] nonce = new byte[16];
            new SplittableRandom(System.nanoTime()).nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            String hostHeader = url.getPort() < 0 ? host : host + ":" + port;
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            checkHandshake(readHeaders(in), key, url);
            socket.setSoTimeout(0);
            WebSocketConnection c = new WebSocketConnection(socket, in, out, listener);
            Thread.ofVirtual().name("ws-reader-" + c.id).start(c::readLoop);
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** This connection's number in this process (for names and logs). */
    long id() {
        return id;
    }

    /** Writes one text frame whose payload is the concatenation of {@code parts}; call {@link #flush} to send. */
    void sendText(byte[]... parts) throws IOException {
        long length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        synchronized (this) {
            writeFrame(OP_TEXT, parts, length);
        }
    }

    /** Writes one text frame and sends it. */
    void sendTextNow(byte[]... parts) throws IOException {
        synchronized (this) {
            sendText(parts);
            out.flush();
        }
    }

    /** Sends what {@link #sendText} buffered. */
    void flush() throws IOException {
        synchronized (this) {
            out.flush();
        }
    }

    /** Sends a ping; the pong is reported to {@link Listener#onPong}. */
    void ping() throws IOException {
        synchronized (this) {
            writeFrame(OP_PING, new byte[][] {}, 0);
            out.flush();
        }
    }

    boolean isOpen() {
        return !closed;
    }

    /**
     * Sends a close frame (1000), waits up to {@code waitMillis} for the relay's close frame, then
     * closes the socket. Idempotent.
     */
    void close(int waitMillis) {
        if (!closing) {
            closing = true;
            try {
                synchronized (this) {
                    writeFrame(OP_CLOSE, new byte[][] {{0x03, (byte) 0xE8}}, 2);
                    out.flush();
                }
            } catch (IOException e) {
                // The peer is gone already; closing the socket below is all that is left.
            }
        }
        try {
            ended.await(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSocket();
    }

    @Override
    public void close() {
        close(1000);
    }

    /** Waits until the reader has stopped; true if it did within the time. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    private void closeSocket() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing useful to do with a failure to close.
        }
    }

    // ---- frames ---------------------------------------------------------------------------------

    /** Client frames are masked (RFC 6455 5.3); payload copied and masked into a scratch buffer. */
    private void writeFrame(int opcode, byte[][] parts, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 14) {
            throw new IOException("message too long: " + length + " bytes");
        }
        int n = (int) length;
        int header = n <= 125 ? 6 : n <= 0xFFFF ? 8 : 14;
        if (scratch.length < header + n) {
            scratch = new byte[Math.max(header + n, scratch.length * 2)];
        }
        byte[] b = scratch;
        b[0] = (byte) (0x80 | opcode);
        int p;
        if (n <= 125) {
            b[1] = (byte) (0x80 | n);
            p = 2;
        } else if (n <= 0xFFFF) {
            b[1] = (byte) (0x80 | 126);
            b[2] = (byte) (n >>> 8);
            b[3] = (byte) n;
            p = 4;
        } else {
            b[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                b[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
            p = 10;
        }
        int mask = maskRandom.nextInt();
        b[p] = (byte) (mask >>> 24);
        b[p + 1] = (byte) (mask >>> 16);
        b[p + 2] = (byte) (mask >>> 8);
        b[p + 3] = (byte) mask;
        int maskAt = p;
        p += 4;
        int k = 0;
        for (byte[] part : parts) {
            for (byte x : part) {
                b[p++] = (byte) (x ^ b[maskAt + (k++ & 3)]);
            }
        }
        out.write(b, 0, p);
    }

    private void readLoop() {
        int code = -1;
        String reason = "";
        Throwable error = null;
        try {
            int messageLength = 0;
            boolean inText = false;
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    break;
                }
                int b1 = readByte();
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0F;
                boolean masked = (b1 & 0x80) != 0;
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = (readByte() << 8) | readByte();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | readByte();
                    }
                }
                if (len < 0 || len > Integer.MAX_VALUE - 8) {
                    throw new IOException("frame too long: " + len + " bytes");
                }
                byte[] mask = null;
                if (masked) {
                    mask = new byte[4];
                    readFully(mask, 0, 4);
                }
                int n = (int) len;
                switch (opcode) {
                    case OP_TEXT, OP_CONTINUATION, OP_BINARY -> {
                        if (opcode == OP_TEXT || opcode == OP_BINARY) {
                            messageLength = 0;
                            inText = opcode == OP_TEXT;
                        }
                        if (message.length < messageLength + n) {
                            byte[] bigger = new byte[Math.max(messageLength + n, message.length * 2)];
                            System.arraycopy(message, 0, bigger, 0, messageLength);
                            message = bigger;
                        }
                        readFully(message, messageLength, n);
                        unmask(message, messageLength, n, mask);
                        messageLength += n;
                        if (fin) {
                            if (inText) {
                                listener.onText(this, message, messageLength);
                            }
                            messageLength = 0;
                            inText = false;
                        }
                    }
                    case OP_PING -> {
                        byte[] payload = new byte[n];
                        readFully(payload, 0, n);
                        unmask(payload, 0, n, mask);
                        synchronized (this) {
                            if (!closing) {
                                writeFrame(OP_PONG, new byte[][] {payload}, n);
                                out.flush();
                            }
                        }
                    }
                    case OP_PONG -> {
                        skip(n);
                        listener.onPong(this);
                    }
                    case OP_CLOSE -> {
                        byte[] payload = new byte[n];
                        readFully(payload, 0, n);
                        unmask(payload, 0, n, mask);
                        code = n >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                        reason = n > 2 ? new String(payload, 2, n - 2, StandardCharsets.UTF_8) : "";
                        if (!closing) {
                            closing = true;
                            synchronized (this) {
                                writeFrame(OP_CLOSE, new byte[][] {n >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]},
                                        n >= 2 ? 2 : 0);
                                out.flush();
                            }
                        }
                        return;
                    }
                    default -> throw new IOException("unknown WebSocket opcode " + opcode);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                error = e;
            }
        } finally {
            closeSocket();
            ended.countDown();
            listener.onClosed(this, code, reason, error);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection ended inside a frame");
        }
        return b;
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int r = in.read(b, off, len);
            if (r < 0) {
                throw new EOFException("connection ended inside a frame");
            }
            off += r;
            len -= r;
        }
    }

    private void skip(int n) throws IOException {
        while (n > 0) {
            if (in.read() < 0) {
                throw new EOFException("connection ended inside a frame");
            }
            n--;
        }
    }

    private static void unmask(byte[] b, int off, int len, byte[] mask) {
        if (mask == null) {
            return;
        }
        for (int i = 0; i < len; i++) {
            b[off + i] ^= mask[i & 3];
        }
    }

    // ---- handshake ------------------------------------------------------------------------------

    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed during the WebSocket handshake");
            }
            sb.append((char) c);
            if (sb.length() > 16_384) {
                throw new IOException("handshake response headers longer than 16 KiB");
            }
            state = switch (state) {
                case 0, 2 -> c == '\r' ? state + 1 : 0;
                case 1, 3 -> c == '\n' ? state + 1 : 0;
                default -> 0;
            };
        }
        return sb.toString();
    }

    private static void checkHandshake(String response, String key, URI url) throws IOException {
        String[] lines = response.split("\r\n");
        if (lines.length == 0 || !lines[0].matches("HTTP/1\\.1 101( .*)?")) {
            throw new IOException("WebSocket upgrade refused by " + url + ": " + (lines.length == 0 ? "" : lines[0]));
        }
        String expected = accept(key);
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                if (line.substring(colon + 1).trim().equals(expected)) {
                    return;
                }
                throw new IOException("wrong Sec-WebSocket-Accept from " + url);
            }
        }
        throw new IOException("no Sec-WebSocket-Accept in the upgrade response of " + url);
    }

    /** The Sec-WebSocket-Accept value for a key (RFC 6455 4.2.2). */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
