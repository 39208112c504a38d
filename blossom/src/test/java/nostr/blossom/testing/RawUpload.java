package nostr.blossom.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A client that announces an upload of {@code length} bytes, sends only part of them and
 * disconnects: what a crashed or cut-off uploader looks like to the server.
 */
public final class RawUpload implements AutoCloseable {
    private final Socket socket;

    private RawUpload(Socket socket) {
        this.socket = socket;
    }

    /**
     * Opens a connection, sends the request head announcing {@code length} bytes and then
     * {@code sent}, and leaves the connection open: the caller decides when to cut it off
     * ({@link #close()}), e.g. after the server has started writing the upload.
     */
    public static RawUpload start(URI server, String authorization, String sha256, long length, byte[] sent)
            throws IOException {
        Socket s = new Socket(server.getHost(), server.getPort());
        try {
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
            return new RawUpload(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Cuts the connection off mid-body. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
