package nostr.blossom.client;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * A response whose status and headers have arrived and whose body has not: it is read chunk by
 * chunk from {@link #body()} (Jetty's pooled buffers, as they came off the socket), so a blob of
 * any size passes through without being held. Reading the body to its last chunk completes the
 * exchange; {@link #abandon} ends it early (the connection is closed, not reused).
 */
final class StreamedResponse {
    private final Response response;
    private final Content.Source body;

    private StreamedResponse(Response response, Content.Source body) {
        this.response = response;
        this.body = body;
    }

    /** Sends {@code request} and waits for the response headers (the connect and idle timeouts apply). */
    static StreamedResponse open(Request request) throws IOException, InterruptedException {
        CompletableFuture<StreamedResponse> headers = new CompletableFuture<>();
        request.onResponseContentSource((response, source) -> headers.complete(new StreamedResponse(response, source)))
                .send((Result result) -> {
                    // a no-op when the headers came (the body was handed over first); a guard
                    // against waiting forever should an exchange end without one
                    headers.completeExceptionally(result.isFailed() ? result.getFailure()
                            : new IOException("the exchange ended before its response body could be read"));
                });
        try {
            return headers.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        }
    }

    int status() {
        return response.getStatus();
    }

    /** A response header, or null. */
    String header(String name) {
        return response.getHeaders().get(name);
    }

    /** The announced body length ({@code Content-Length}), or -1. */
    long contentLength() {
        return response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    }

    Content.Source body() {
        return body;
    }

    /** Stops reading: the exchange fails with {@code why} and its connection is closed. */
    void abandon(Throwable why) {
        body.fail(why);
    }
}
