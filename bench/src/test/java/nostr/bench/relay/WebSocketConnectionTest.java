package nostr.bench.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The load generator's WebSocket client against a scripted server on a real loopback socket:
 * RFC 6455 opening handshake (4.1/4.2), masked client frames (5.3), the three payload length
 * encodings (5.2), fragmented messages (5.4), ping/pong (5.5.2/5.5.3) and the closing handshake
 * (5.5.1).
 */
class WebSocketConnectionTest {

    /** Reads one client frame: opcode, and the payload unmasked (clients must mask). */
    private record ClientFrame(int opcode, boolean fin, byte[] payload) {}

    private static ClientFrame readClientFrame(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertTrue((b1 & 0x80) != 0, "client frames must be masked (RFC 6455 5.3)");
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] mask = new byte[4];
        in.readFully(mask);
        byte[] p = new byte[(int) len];
        in.readFully(p);
        for (int i = 0; i < p.length; i++) {
            p[i] ^= mask[i & 3];
        }
        return new ClientFrame(b0 & 0x0F, (b0 & 0x80) != 0, p);
    }

    /** An unmasked server frame with the shortest length encoding for its payload. */
    private static byte[] serverFrame(int opcode, boolean fin, byte[] payload) {
        int n = payload.length;
        int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] f = new byte[header + n];
        f[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        if (n <= 125) {
            f[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            f[1] = 126;
            f[2] = (byte) (n >>> 8);
            f[3] = (byte) n;
        } else {
            f[1] = 127;
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, f, header, n);
        return f;
    }

    private static String readRequestHeaders(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("client closed during handshake");
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static String header(String request, String name) {
        for (String line : request.split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                return line.substring(c + 1).trim();
            }
        }
        return null;
    }

    @Test
    void rfc6455HandshakeFramingFragmentsPingAndClose() throws Exception {
        byte[] big = new byte[70_000];
        Arrays.fill(big, (byte) 'x');
        byte[] medium = new byte[300];
        Arrays.fill(medium, (byte) 'm');
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger pongs = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<String> closeInfo = new AtomicReference<>();
        AtomicReference<Throwable> serverError = new AtomicReference<>();
        AtomicReference<ClientFrame> clientText = new AtomicReference<>();
        AtomicReference<ClientFrame> clientPong = new AtomicReference<>();
        AtomicReference<ClientFrame> clientClose = new AtomicReference<>();

        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread serverThread = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    String req = readRequestHeaders(in);
                    assertTrue(req.startsWith("GET /path HTTP/1.1\r\n"), req);
                    assertEquals("websocket", header(req, "Upgrade"));
                    assertEquals("13", header(req, "Sec-WebSocket-Version"));
                    String accept = WebSocketConnection.accept(header(req, "Sec-WebSocket-Key"));
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    DataInputStream din = new DataInputStream(in);
                    clientText.set(readClientFrame(din));
                    out.write(serverFrame(0x1, true, "hello".getBytes(StandardCharsets.UTF_8)));
                    out.write(serverFrame(0x1, true, medium));
                    out.write(serverFrame(0x1, true, big));
                    out.write(serverFrame(0x1, false, "frag".getBytes(StandardCharsets.UTF_8)));
                    out.write(serverFrame(0x9, true, "pi".getBytes(StandardCharsets.UTF_8)));   // ping between fragments
                    out.write(serverFrame(0x0, true, "mented \u26a1".getBytes(StandardCharsets.UTF_8)));
                    out.write(serverFrame(0xA, true, new byte[0]));                            // pong to the client's ping
                    out.flush();
                    // The client's own ping and its pong to ours, in whichever order they crossed.
                    for (int i = 0; i < 2; i++) {
                        ClientFrame f = readClientFrame(din);
                        if (f.opcode() == 0xA) {
                            clientPong.set(f);
                        } else {
                            assertEquals(0x9, f.opcode(), "a ping or a pong, nothing else");
                        }
                    }
                    out.write(serverFrame(0x8, true, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}));
                    out.flush();
                    clientClose.set(readClientFrame(din));
                } catch (Throwable t) {
                    serverError.set(t);
                }
            });

            WebSocketConnection.Listener listener = new WebSocketConnection.Listener() {
                @Override
                public void onText(WebSocketConnection c, byte[] buffer, int length) {
                    received.add(new String(buffer, 0, length, StandardCharsets.UTF_8));
                }

                @Override
                public void onPong(WebSocketConnection c) {
                    pongs.incrementAndGet();
                }

                @Override
                public void onClosed(WebSocketConnection c, int code, String reason, Throwable error) {
                    closeInfo.set(code + " " + reason + (error == null ? "" : " " + error));
                    closed.countDown();
                }
            };
            URI url = URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/path");
            WebSocketConnection c = WebSocketConnection.open(url, listener, 512, 5_000);
            c.sendTextNow("[\"REQ\",".getBytes(StandardCharsets.UTF_8), "\"x\"".getBytes(StandardCharsets.UTF_8),
                    "]".getBytes(StandardCharsets.UTF_8));
            c.ping();
            assertTrue(closed.await(30, TimeUnit.SECONDS), "the client saw the server's close");
            serverThread.join(30_000);
            assertNull(serverError.get(), () -> String.valueOf(serverError.get()));

            assertEquals(0x1, clientText.get().opcode());
            assertTrue(clientText.get().fin());
            assertEquals("[\"REQ\",\"x\"]", new String(clientText.get().payload(), StandardCharsets.UTF_8));
            assertEquals(0xA, clientPong.get().opcode(), "a ping is answered with a pong");
            assertArrayEquals("pi".getBytes(StandardCharsets.UTF_8), clientPong.get().payload(), "with the ping's payload");
            assertEquals(0x8, clientClose.get().opcode(), "the close is echoed");
            assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, clientClose.get().payload());

            assertEquals(List.of("hello", new String(medium, StandardCharsets.US_ASCII),
                    new String(big, StandardCharsets.US_ASCII), "fragmented \u26a1"), received);
            assertEquals(1, pongs.get());
            assertEquals("1000 bye", closeInfo.get());
            c.close(100);
        }
    }

    @Test
    void rfc6455AWrongAcceptKeyOrARefusedUpgradeFailsTheOpen() throws Exception {
        for (String response : new String[] {
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAA\r\n\r\n",
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"}) {
            try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
                Thread t = Thread.ofVirtual().start(() -> {
                    try (Socket s = server.accept()) {
                        readRequestHeaders(s.getInputStream());
                        s.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        s.getInputStream().read();
                    } catch (IOException e) {
                        // The client hung up, as it should.
                    }
                });
                URI url = URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/");
                IOException e = assertThrows(IOException.class,
                        () -> WebSocketConnection.open(url, (c, b, l) -> { }, 512, 5_000));
                assertTrue(e.getMessage().contains("Sec-WebSocket-Accept") || e.getMessage().contains("404"), e.getMessage());
                t.join(10_000);
            }
        }
    }
}
