package nostr.core.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted WebSocket server (RFC 6455 over a plain ServerSocket on 127.0.0.1) that a test drives
 * frame by frame: it plays the relay in core's client tests, where the real relay (another module)
 * cannot run, and produces on demand what a real relay rarely does: fragmented messages, huge
 * frames, abrupt drops, close codes, silence. Client behaviour against the real relay is tested in
 * the relay module ({@code nostr.relay.client}).
 */
final class WebSocketTestServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();
    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile int refuseWithStatus;

    private WebSocketTestServer(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        acceptor = Thread.ofVirtual().name("ws-test-accept").start(this::acceptLoop);
    }

    /** Listens on an ephemeral port. */
    static WebSocketTestServer start() throws IOException {
        return new WebSocketTestServer(0);
    }

    /** Listens on {@code port} (to come back where a stopped server was). */
    static WebSocketTestServer start(int port) throws IOException {
        return new WebSocketTestServer(port);
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "ws://127.0.0.1:" + port();
    }

    /** Answers later upgrade requests with this HTTP status instead of 101. */
    void refuseUpgrades(int status) {
        refuseWithStatus = status;
    }

    /** The next connection the server accepts; fails the test after {@code timeout}. */
    Peer nextPeer(Duration timeout) throws InterruptedException {
        Peer p = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (p == null) {
            throw new AssertionError("no client connected within " + timeout);
        }
        return p;
    }

    /**
     * Stops listening and drops every connection. Returns once the port is free: closing a socket
     * that a virtual thread is blocked on is deferred until that thread leaves {@code accept}.
     */
    @Override
    public void close() throws IOException {
        server.close();
        for (Peer p : peers) {
            p.drop();
        }
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().name("ws-test-peer").start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            DataInputStream in = new DataInputStream(s.getInputStream());
            String key = null;
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                    key = line.substring(c + 1).trim();
                }
            }
            OutputStream out = s.getOutputStream();
            int refuse = refuseWithStatus;
            if (refuse != 0 || key == null) {
                out.write(("HTTP/1.1 " + (refuse != 0 ? refuse : 400) + " Refused\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.close();
                return;
            }
            String acceptKey = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + acceptKey + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Peer p = new Peer(s, in, out);
            peers.add(p);
            accepted.add(p);
            p.readLoop();
        } catch (IOException | NoSuchAlgorithmException e) {
            closeQuietly(s);
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) b);
        }
        throw new EOFException("connection closed during the handshake");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** One accepted WebSocket connection. */
    static final class Peer {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile int closeCodeReceived = -1;
        private volatile boolean answerPings = true;

        private Peer(Socket socket, DataInputStream in, OutputStream out) {
            this.socket = socket;
            this.in = in;
            this.out = out;
        }

        /** The next text message from the client; fails the test after {@code timeout}. */
        String receive(Duration timeout) throws InterruptedException {
            String m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("the client sent nothing within " + timeout);
            }
            return m;
        }

        /** The next text message, or null if none arrives within {@code timeout}. */
        String poll(Duration timeout) throws InterruptedException {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Sends one text message in one frame. */
        void send(String text) throws IOException {
            writeFrame(true, 0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends one text message split into {@code pieces} frames (a text frame and continuations). */
        void sendFragmented(String text, int pieces) throws IOException {
            byte[] all = text.getBytes(StandardCharsets.UTF_8);
            int step = Math.max(1, (all.length + pieces - 1) / pieces);
            int off = 0;
            boolean first = true;
            while (off < all.length) {
                int end = Math.min(all.length, off + step);
                byte[] part = java.util.Arrays.copyOfRange(all, off, end);
                writeFrame(end == all.length, first ? 0x1 : 0x0, part);
                first = false;
                off = end;
            }
        }

        /** Sends a close frame with {@code code} and {@code reason}. */
        void sendClose(int code, String reason) throws IOException {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[2 + r.length];
            payload[0] = (byte) (code >> 8);
            payload[1] = (byte) code;
            System.arraycopy(r, 0, payload, 2, r.length);
            writeFrame(true, 0x8, payload);
        }

        /** Stops answering pings: the connection looks alive to TCP but is dead to WebSocket. */
        void stopAnsweringPings() {
            answerPings = false;
        }

        /** Closes the TCP connection without a close frame. */
        void drop() {
            closeQuietly(socket);
        }

        /** Waits until the client's side of the connection is gone; false on timeout. */
        boolean awaitClosed(Duration timeout) throws InterruptedException {
            return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The status code of the client's close frame, or -1 if it sent none. */
        int closeCodeReceived() {
            return closeCodeReceived;
        }

        private synchronized void writeFrame(boolean fin, int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 10);
            f.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                f.write(payload.length);
            } else if (payload.length < 65536) {
                f.write(126);
                f.write(payload.length >> 8);
                f.write(payload.length);
            } else {
                f.write(127);
                long n = payload.length;
                for (int i = 7; i >= 0; i--) {
                    f.write((int) (n >> (8 * i)));
                }
            }
            f.write(payload);
            out.write(f.toByteArray());
            out.flush();
        }

        private void readLoop() {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    int b1 = in.readUnsignedByte();
                    boolean fin = (b0 & 0x80) != 0;
                    int opcode = b0 & 0x0f;
                    long len = b1 & 0x7f;
                    if (len == 126) {
                        len = in.readUnsignedShort();
                    } else if (len == 127) {
                        len = in.readLong();
                    }
                    byte[] mask = new byte[4];
                    if ((b1 & 0x80) != 0) {
                        in.readFully(mask);
                    }
                    byte[] payload = new byte[(int) len];
                    in.readFully(payload);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i & 3];
                    }
                    switch (opcode) {
                        case 0x0, 0x1 -> {
                            message.write(payload);
                            if (fin) {
                                received.add(message.toString(StandardCharsets.UTF_8));
                                message.reset();
                            }
                        }
                        case 0x8 -> {
                            closeCodeReceived = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                            writeFrame(true, 0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                            socket.close();
                            return;
                        }
                        case 0x9 -> {
                            if (answerPings) {
                                writeFrame(true, 0xA, payload);
                            }
                        }
                        default -> { } // pong, binary: ignored
                    }
                }
            } catch (IOException e) {
                // the client went away or the test dropped the socket
            } finally {
                closeQuietly(socket);
                closed.countDown();
            }
        }
    }
}
