package nostr.blossom.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A client that announces an upload of {@code length} bytes, sends only {@code sent} of them and
 * disconnects: what a crashed or cut-off uploader looks like to the server.
 */
public final class RawUpload {
    private RawUpload() {}

    public static void sendPartialAndClose(URI server, String authorization, String sha256, long length, byte[] sent)
            throws IOException {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = s.getOutputStream();
            String head = "PUT /upload HTTP/1.1\r\n"
                    + "Host: " + server.getHost() + ":" + server.getPort() + "\r\n"
                    + "Authorization: " + authorization + "\r\n"
                    + "X-SHA-256: " + sha256 + "\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: " + length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
        }
    }
}
