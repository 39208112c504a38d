package nostr.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NIP-98 {@code u} values that name the relay, derived from relay_url (NIP-86: "the u tag is the relay URL"). */
class ManagementEndpointTest {
    @Test
    void nip98UrlsOfAPublicWssRelayAreItsHttpsAndWssForms() {
        assertEquals(List.of("https://relay.example.com/", "https://relay.example.com", "wss://relay.example.com/",
                "wss://relay.example.com"), List.copyOf(ManagementEndpoint.acceptedUrls("wss://relay.example.com/")));
        assertEquals(List.of("https://relay.example.com/", "https://relay.example.com", "wss://relay.example.com/",
                "wss://relay.example.com"), List.copyOf(ManagementEndpoint.acceptedUrls("wss://relay.example.com")));
    }

    @Test
    void nip98UrlsKeepPortAndPath() {
        var urls = ManagementEndpoint.acceptedUrls("ws://127.0.0.1:7777/nostr");
        assertTrue(urls.contains("http://127.0.0.1:7777/nostr"));
        assertTrue(urls.contains("http://127.0.0.1:7777/nostr/"));
        assertFalse(urls.contains("http://127.0.0.1:7777/"));
        assertFalse(urls.contains("https://127.0.0.1:7777/nostr"));
    }

    @Test
    void nip86ContentTypeMatchesTheMediaTypeWithAnyParameters() {
        assertTrue(ManagementEndpoint.isManagementRequest("application/nostr+json+rpc"));
        assertTrue(ManagementEndpoint.isManagementRequest("Application/Nostr+JSON+RPC; charset=utf-8"));
        assertFalse(ManagementEndpoint.isManagementRequest("application/nostr+json"));
        assertFalse(ManagementEndpoint.isManagementRequest("application/json"));
        assertFalse(ManagementEndpoint.isManagementRequest(null));
    }
}
