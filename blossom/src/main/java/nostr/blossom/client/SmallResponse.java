package nostr.blossom.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.RetainingResponseListener;

/**
 * A response whose body is small enough to keep (descriptors, lists, error text), up to a byte
 * limit. Unlike Jetty's own {@code CompletableResponseListener} it still yields the response when
 * only the request side failed: a server that answers {@code Expect: 100-continue} with a refusal
 * (413, 401, 429) ends the exchange before the body is sent, and that refusal is the answer the
 * caller needs.
 */
final class SmallResponse extends RetainingResponseListener {
    private final CompletableFuture<ContentResponse> done = new CompletableFuture<>();

    private SmallResponse(int maxLength) {
        super(maxLength);
    }

    /** Sends {@code request} and waits for its whole response. */
    static ContentResponse send(Request request, int maxLength) throws InterruptedException, ExecutionException {
        SmallResponse listener = new SmallResponse(maxLength);
        request.send(listener);
        try {
            return listener.done.get();
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        }
    }

    @Override
    public void onComplete(Result result) {
        if (result.getResponseFailure() == null && result.getResponse() != null && result.getResponse().getStatus() > 0) {
            done.complete(ContentResponse.from(result.getResponse(), getContent(), getMediaType(), getEncoding()));
        } else {
            done.completeExceptionally(result.getFailure());
        }
    }
}
