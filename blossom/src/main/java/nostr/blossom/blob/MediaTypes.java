package nostr.blossom.blob;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * MIME types of blobs: which ones the server accepts as given, and the file extension a blob
 * descriptor's URL gets for each (BUD-02 wants an extension in every descriptor URL; unknown
 * types get {@code .bin}).
 */
public final class MediaTypes {
    /** The type of a blob nobody described (BUD-01, BUD-02). */
    public static final String OCTET_STREAM = "application/octet-stream";

    /** {@code type/subtype} plus optional parameters, in RFC 9110 token characters. */
    private static final Pattern MIME = Pattern.compile(
            "[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,127}(\\s*;\\s*[A-Za-z0-9!#$&^_.+-]+=(\"[^\"\\\\\\x00-\\x1f]*\"|[A-Za-z0-9!#$&^_.+-]+))*");

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("application/pdf", "pdf"), Map.entry("application/json", "json"),
            Map.entry("application/zip", "zip"), Map.entry("application/gzip", "gz"),
            Map.entry("application/x-tar", "tar"), Map.entry("application/x-xz", "xz"),
            Map.entry("application/zstd", "zst"), Map.entry("application/wasm", "wasm"),
            Map.entry("application/x-bittorrent", "torrent"), Map.entry("application/javascript", "js"),
            Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"),
            Map.entry("image/webp", "webp"), Map.entry("image/avif", "avif"), Map.entry("image/svg+xml", "svg"),
            Map.entry("video/mp4", "mp4"), Map.entry("video/webm", "webm"), Map.entry("video/quicktime", "mov"),
            Map.entry("audio/mpeg", "mp3"), Map.entry("audio/ogg", "ogg"), Map.entry("audio/wav", "wav"),
            Map.entry("audio/flac", "flac"), Map.entry("audio/mp4", "m4a"),
            Map.entry("text/plain", "txt"), Map.entry("text/html", "html"), Map.entry("text/css", "css"),
            Map.entry("text/markdown", "md"), Map.entry("text/csv", "csv"));

    private MediaTypes() {}

    /**
     * The type to record for a blob described as {@code declared} (a Content-Type header, maybe
     * null): the declared value with its type/subtype lowercased, or {@link #OCTET_STREAM} when it
     * is missing or not a well-formed MIME type.
     */
    public static String normalize(String declared) {
        if (declared == null) {
            return OCTET_STREAM;
        }
        String t = declared.strip();
        if (t.length() > 255 || !MIME.matcher(t).matches()) {
            return OCTET_STREAM;
        }
        int semi = t.indexOf(';');
        return semi < 0 ? t.toLowerCase(Locale.ROOT) : t.substring(0, semi).strip().toLowerCase(Locale.ROOT) + t.substring(semi);
    }

    /** The extension (without a dot) a URL for a blob of this type carries; {@code bin} when unknown. */
    public static String extension(String type) {
        if (type == null) {
            return "bin";
        }
        int semi = type.indexOf(';');
        String base = (semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return EXTENSIONS.getOrDefault(base, "bin");
    }
}
