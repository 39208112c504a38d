package nostr.blossom.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** BUD-02 blob descriptors, MIME types and extensions, and BUD-03 hash extraction from URLs. */
class BlobFormatsTest {
    static final String H = "b1674191a88ec5cdd733e4240a81803105dc412d6c6708d53ab94fc248f4f553";

    @Test
    void bud02DescriptorRoundTripsAndToleratesExtraFields() {
        BlobDescriptor d = new BlobDescriptor("https://cdn.example.com/" + H + ".pdf", H, 184292, "application/pdf", 1725105921);
        assertEquals(d, BlobDescriptor.parse(d.toJson()));
        String spec = """
                {"url": "https://cdn.example.com/%s.pdf", "sha256": "%s", "size": 184292,
                 "type": "application/pdf", "uploaded": 1725105921, "nip94": [["x", "y"]], "magnet": "m"}""".formatted(H, H);
        assertEquals(d, BlobDescriptor.parse(spec));
        assertEquals(List.of(d, d), BlobDescriptor.parseArray(BlobDescriptor.toJsonArray(List.of(d, d))));
        assertEquals("application/octet-stream",
                BlobDescriptor.parse("{\"url\":\"u\",\"sha256\":\"" + H + "\",\"size\":1}").type());
    }

    @Test
    void bud02MalformedDescriptorsAreRefusedNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BlobDescriptor.parse("{\"sha256\":\"" + H + "\",\"size\":1}"))
                .getMessage().contains("url"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BlobDescriptor.parse("{\"url\":\"u\",\"sha256\":\"x\",\"size\":1}"))
                .getMessage().contains("sha256"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BlobDescriptor.parse("{\"url\":\"u\",\"sha256\":\"" + H + "\",\"size\":-1}")).getMessage().contains("size"));
        assertThrows(IllegalArgumentException.class, () -> BlobDescriptor.parse("[1]"));
        assertThrows(IllegalArgumentException.class, () -> BlobDescriptor.parseArray("{}"));
    }

    @Test
    void bud02TypesAreNormalisedAndGetAnExtension() {
        assertEquals("image/png", MediaTypes.normalize(" Image/PNG "));
        assertEquals("text/plain; charset=UTF-8", MediaTypes.normalize("Text/Plain; charset=UTF-8"));
        assertEquals("application/octet-stream", MediaTypes.normalize(null));
        assertEquals("application/octet-stream", MediaTypes.normalize("not a type"));
        assertEquals("application/octet-stream", MediaTypes.normalize("text/plain\r\nX-Injected: 1"));
        assertEquals("png", MediaTypes.extension("image/png"));
        assertEquals("txt", MediaTypes.extension("text/plain; charset=utf-8"));
        assertEquals("bin", MediaTypes.extension("application/x-unknown"));
    }

    @Test
    void bud03TheLastHashInAUrlNamesTheBlob() {
        for (String url : List.of("https://blossom.example.com/" + H + ".pdf", "https://cdn.example.com/" + H,
                "https://cdn.example.com/user/ec4425ff5e9446080d2f70440188e3ca5d6da8713db7bdeef73d0ed54d9093f0/media/" + H + ".pdf",
                "http://download.example.com/downloads/" + H, "http://media.example.com/documents/b1/67/" + H + ".pdf?x=1")) {
            assertEquals(Optional.of(H), Sha256.lastIn(url), url);
        }
        assertEquals(Optional.empty(), Sha256.lastIn("https://example.com/nothing?" + H));
        assertEquals(Optional.of(H), Sha256.lastIn("https://e.com/" + H.toUpperCase()));
    }
}
