package nostr.relay.tools;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import nostr.core.Hex;
import nostr.core.event.EventSigner;
import nostr.core.json.Json;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.core.nip19.Nip19;
import nostr.core.nip19.Nip19Entity;
import nostr.core.nip98.Nip98;
import nostr.relay.admin.ManagementEndpoint;
import nostr.relay.admin.ManagementMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * {@code parrhesia admin <method> [params...]}: a NIP-86 client for any relay. It turns the words
 * after the method into the method's JSON params (numbers where the NIP has numbers; npub and
 * note1 accepted for keys and ids), signs a NIP-98 header with the admin key (u = the http(s) URL
 * posted to, method POST, payload = SHA-256 of the body), posts, and prints the result JSON.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, version = "parrhesia 0.1.0-SNAPSHOT",
        description = {"Calls a NIP-86 management method on a relay and prints its result as JSON.",
                "Exit codes: 0 result, 1 error answer (also 401/403), 2 usage, 3 relay unreachable."},
        footer = {"", "Methods and their params:",
                "  supportedmethods",
                "  banpubkey | unbanpubkey | allowpubkey | unallowpubkey PUBKEY [REASON]",
                "  listbannedpubkeys | listallowedpubkeys",
                "  createrole | editrole ID [LABEL DESCRIPTION COLOR ORDER]",
                "  deleterole ID",
                "  assignrole | unassignrole PUBKEY ROLE",
                "  listeventsneedingmoderation | listbannedevents",
                "  allowevent | banevent ID [REASON]",
                "  changerelayname NAME | changerelaydescription TEXT | changerelayicon URL",
                "  allowkind | disallowkind KIND",
                "  listallowedkinds",
                "  blockip IP [REASON] | unblockip IP | listblockedips",
                "Other method names are sent with their words as string params.",
                "PUBKEY: hex or npub; ID: hex, note1 or nevent1; KIND, ORDER: numbers."})
final class AdminCommand extends ToolCommand {
    static final String SECRET_KEY_ENV = "NOSTR_SECRET_KEY";

    @Parameters(index = "0", paramLabel = "METHOD", description = "the NIP-86 method")
    String method;

    @Parameters(index = "1..*", paramLabel = "PARAM", arity = "0..*", description = "its params, in order")
    List<String> params = new ArrayList<>();

    @Option(names = {"--relay", "-r"}, paramLabel = "URL", required = true,
            description = "the relay URL (ws://, wss://, http:// or https://); the request goes to its http(s) form")
    String relay;

    @Option(names = "--sec", paramLabel = "KEY", description = "admin secret key, hex or nsec (default: $NOSTR_SECRET_KEY)")
    String sec;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "connect and answer timeout (default 10)")
    int timeoutSeconds;

    @Option(names = "--params-json", paramLabel = "JSON", description = "the params as a JSON array, instead of PARAM words")
    String paramsJson;

    @Override
    int run() {
        if (timeoutSeconds <= 0) {
            throw ToolFailure.usage("--timeout must be a positive number of seconds, got " + timeoutSeconds);
        }
        String url = httpUrl(relay);
        SecretKey key = secretKey();
        String body = "{\"method\":" + Json.quote(method) + ",\"params\":" + paramsJson() + "}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String auth = Nip98.header(EventSigner.of(key), url, "POST", bytes);
        HttpResponse<String> res;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeoutSeconds)).build()) {
            res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(timeoutSeconds))
                    .header("Content-Type", ManagementEndpoint.CONTENT_TYPE).header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw ToolFailure.unavailable(url + ": no answer within " + timeoutSeconds + " s");
        } catch (ConnectException e) {
            throw ToolFailure.unavailable(url + ": connection refused");
        } catch (IOException e) {
            throw ToolFailure.unavailable(url + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ToolFailure.unavailable("interrupted");
        }
        Answer a = Answer.parse(res.body());
        if (a == null) {
            String text = res.body().strip();
            throw new ToolFailure(ToolExit.NEGATIVE, "the relay answered HTTP " + res.statusCode()
                    + " without a NIP-86 JSON body: " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
        }
        if (res.statusCode() != 200 || a.error() != null) {
            throw new ToolFailure(ToolExit.NEGATIVE, "HTTP " + res.statusCode() + ": "
                    + (a.error() == null ? "(no error message)" : a.error()));
        }
        out().println(a.resultJson());
        out().flush();
        return ToolExit.OK;
    }

    /** The http(s) URL to post to. */
    static String httpUrl(String relay) {
        URI u;
        try {
            u = new URI(relay.strip());
        } catch (URISyntaxException e) {
            throw ToolFailure.usage("--relay is not a URL: " + relay);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        String http = switch (scheme) {
            case "ws", "http" -> "http";
            case "wss", "https" -> "https";
            default -> throw ToolFailure.usage("--relay must be a ws://, wss://, http:// or https:// URL, got " + relay);
        };
        if (u.getRawAuthority() == null) {
            throw ToolFailure.usage("--relay has no host: " + relay);
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return http + "://" + u.getRawAuthority() + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private SecretKey secretKey() {
        String source = "--sec";
        String value = sec;
        if (value == null) {
            value = System.getenv(SECRET_KEY_ENV);
            source = "$" + SECRET_KEY_ENV;
        }
        if (value == null || value.isBlank()) {
            throw ToolFailure.usage("an admin secret key is needed: pass --sec KEY or set " + SECRET_KEY_ENV);
        }
        try {
            return SecretKey.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw ToolFailure.usage(source + ": " + e.getMessage());
        }
    }

    /** The params array: --params-json as given (checked to be an array), or the words typed. */
    private String paramsJson() {
        if (paramsJson != null) {
            if (!params.isEmpty()) {
                throw ToolFailure.usage("give params either as words or with --params-json, not both");
            }
            try (JsonParser p = Json.parser(paramsJson)) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw ToolFailure.usage("--params-json must be a JSON array");
                }
                p.skipChildren();
                if (!Json.atEnd(p)) {
                    throw ToolFailure.usage("--params-json has data after the array");
                }
            } catch (JacksonException e) {
                throw ToolFailure.usage("--params-json: " + Json.describe(e));
            }
            return paramsJson.strip();
        }
        Optional<ManagementMethod> m = ManagementMethod.byWireName(method);
        List<String> json = new ArrayList<>();
        if (m.isEmpty()) {
            params.forEach(p -> json.add(Json.quote(p)));
            return "[" + String.join(",", json) + "]";
        }
        List<ManagementMethod.Param> spec = m.get().params();
        if (params.size() > spec.size() || params.size() < m.get().requiredCount()) {
            throw ToolFailure.usage("usage: parrhesia admin " + m.get().signature() + " (got " + params.size() + " params)");
        }
        for (int i = 0; i < params.size(); i++) {
            json.add(typed(spec.get(i), params.get(i)));
        }
        return "[" + String.join(",", json) + "]";
    }

    private static String typed(ManagementMethod.Param p, String word) {
        return switch (p.type()) {
            case KIND, INTEGER -> {
                try {
                    yield Long.toString(Long.parseLong(word.strip()));
                } catch (NumberFormatException e) {
                    throw ToolFailure.usage(p.name() + " must be a number, got '" + word + "'");
                }
            }
            case PUBKEY -> {
                try {
                    yield Json.quote(PublicKey.parse(word).hex());
                } catch (IllegalArgumentException e) {
                    throw ToolFailure.usage(p.name() + " must be a public key (hex or npub): " + e.getMessage());
                }
            }
            case EVENT_ID -> Json.quote(eventId(p, word));
            default -> Json.quote(word);
        };
    }

    private static String eventId(ManagementMethod.Param p, String word) {
        String w = word.strip();
        if (w.startsWith("note1") || w.startsWith("nevent1")) {
            try {
                return switch (Nip19.decode(w)) {
                    case Nip19Entity.Note n -> n.id();
                    case Nip19Entity.Nevent n -> n.id();
                    default -> throw new IllegalArgumentException("not an event id");
                };
            } catch (IllegalArgumentException e) {
                throw ToolFailure.usage(p.name() + " must be an event id (hex, note1 or nevent1): " + e.getMessage());
            }
        }
        String lower = w.toLowerCase(Locale.ROOT);
        if (!Hex.isLowerHex(lower, 64)) {
            throw ToolFailure.usage(p.name() + " must be an event id (64 hex, note1 or nevent1), got '" + word + "'");
        }
        return lower;
    }

    /** A NIP-86 answer: the raw JSON text of "result" and the "error" message, if any. */
    record Answer(String resultJson, String error) {
        /** Null when the body is not a JSON object. */
        static Answer parse(String body) {
            String result = "null";
            String error = null;
            try (JsonParser p = Json.parser(body)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getCharOffset();
                    if (name.equals("result")) {
                        result = body.substring(start, end);
                    } else if (name.equals("error") && t == JsonToken.VALUE_STRING) {
                        error = p.getString();
                    }
                }
                return new Answer(result, error);
            } catch (JacksonException e) {
                return null;
            }
        }
    }
}
