package nostr.blossom.blob;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import nostr.core.json.Json;
import nostr.core.json.JsonValueException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A blob descriptor (BUD-02): what the server says about a stored blob.
 *
 * @param url where {@code GET /<sha256>.<ext>} serves it
 * @param sha256 64 lowercase hex
 * @param size bytes
 * @param type MIME type ({@code application/octet-stream} when unknown)
 * @param uploaded unix seconds when it was uploaded
 */
public record BlobDescriptor(String url, String sha256, long size, String type, long uploaded) {

    public BlobDescriptor {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(type, "type");
        if (!Sha256.isHash(sha256)) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters, got '" + sha256 + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
    }

    /** The descriptor as a JSON object. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(200);
        appendJson(sb);
        return sb.toString();
    }

    /** Appends the descriptor as a JSON object. */
    public void appendJson(StringBuilder sb) {
        sb.append("{\"url\":");
        Json.appendQuoted(sb, url);
        sb.append(",\"sha256\":\"").append(sha256).append("\",\"size\":").append(size).append(",\"type\":");
        Json.appendQuoted(sb, type);
        sb.append(",\"uploaded\":").append(uploaded).append('}');
    }

    /** A JSON array of descriptors (BUD-12 list). */
    public static String toJsonArray(List<BlobDescriptor> list) {
        StringBuilder sb = new StringBuilder(2 + list.size() * 200);
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            list.get(i).appendJson(sb);
        }
        return sb.append(']').toString();
    }

    /**
     * Parses one descriptor object. Unknown fields (BUD-08 {@code nip94}, {@code magnet}, ...) are
     * skipped; a missing {@code type} reads as {@code application/octet-stream}, a missing
     * {@code uploaded} as 0.
     *
     * @throws IllegalArgumentException naming the missing or malformed field
     */
    public static BlobDescriptor parse(String json) {
        try (JsonParser p = Json.parser(json)) {
            p.nextToken();
            BlobDescriptor d = read(p);
            if (!Json.atEnd(p)) {
                throw new IllegalArgumentException("trailing data after the blob descriptor");
            }
            return d;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("blob descriptor: " + Json.describe(e), e);
        }
    }

    /** Parses a JSON array of descriptors (a BUD-12 list answer). */
    public static List<BlobDescriptor> parseArray(String json) {
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("a blob list must be a JSON array");
            }
            List<BlobDescriptor> out = new ArrayList<>();
            while (Json.next(p) != JsonToken.END_ARRAY) {
                out.add(read(p));
            }
            if (!Json.atEnd(p)) {
                throw new IllegalArgumentException("trailing data after the blob list");
            }
            return out;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("blob list: " + Json.describe(e), e);
        } catch (JsonValueException e) {
            throw new IllegalArgumentException("blob list: " + e.getMessage(), e);
        }
    }

    private static BlobDescriptor read(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("a blob descriptor must be a JSON object");
        }
        String url = null;
        String sha = null;
        Long size = null;
        String type = MediaTypes.OCTET_STREAM;
        long uploaded = 0;
        try {
            while (Json.next(p) != JsonToken.END_OBJECT) {
                String name = p.currentName();
                Json.next(p);
                switch (name) {
                    case "url" -> url = Json.readString(p, "url");
                    case "sha256" -> sha = Json.readString(p, "sha256");
                    case "size" -> size = Json.readInteger(p, "size", 0, Long.MAX_VALUE);
                    case "type" -> {
                        if (p.currentToken() != JsonToken.VALUE_NULL) {
                            type = Json.readString(p, "type");
                        }
                    }
                    case "uploaded" -> uploaded = Json.readInteger(p, "uploaded", 0, Long.MAX_VALUE);
                    default -> p.skipChildren();
                }
            }
        } catch (JsonValueException e) {
            throw new IllegalArgumentException("blob descriptor: " + e.getMessage(), e);
        }
        if (url == null || sha == null || size == null) {
            throw new IllegalArgumentException("blob descriptor is missing " + (url == null ? "url" : sha == null ? "sha256" : "size"));
        }
        return new BlobDescriptor(url, sha, size, type, uploaded);
    }
}
