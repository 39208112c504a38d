package nostr.core.nip19;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nostr.core.Hex;

/**
 * NIP-19 bech32 entities: {@code npub}, {@code nsec}, {@code note} and the TLV forms
 * {@code nprofile}, {@code nevent}, {@code naddr}. Unknown TLV types are skipped on decode, as the
 * NIP requires. A leading {@code nostr:} (NIP-21) is accepted on decode.
 */
public final class Nip19 {
    private static final int SPECIAL = 0;
    private static final int RELAY = 1;
    private static final int AUTHOR = 2;
    private static final int KIND = 3;

    private Nip19() {}

    /** The {@code npub} of a hex public key. */
    public static String npub(String pubkeyHex) {
        return encode(new Nip19Entity.Npub(pubkeyHex));
    }

    /** The {@code note} of a hex event id. */
    public static String note(String idHex) {
        return encode(new Nip19Entity.Note(idHex));
    }

    /** Encodes an entity. */
    public static String encode(Nip19Entity entity) {
        return switch (entity) {
            case Nip19Entity.Npub n -> Bech32.encode("npub", Hex.decode(n.pubkey()));
            case Nip19Entity.Nsec n -> Bech32.encode("nsec", n.secretKey());
            case Nip19Entity.Note n -> Bech32.encode("note", Hex.decode(n.id()));
            case Nip19Entity.Nprofile p -> {
                Tlv t = new Tlv();
                t.put(SPECIAL, Hex.decode(p.pubkey()));
                p.relays().forEach(r -> t.put(RELAY, r.getBytes(StandardCharsets.UTF_8)));
                yield Bech32.encode("nprofile", t.bytes());
            }
            case Nip19Entity.Nevent e -> {
                Tlv t = new Tlv();
                t.put(SPECIAL, Hex.decode(e.id()));
                e.relays().forEach(r -> t.put(RELAY, r.getBytes(StandardCharsets.UTF_8)));
                if (e.author() != null) {
                    t.put(AUTHOR, Hex.decode(e.author()));
                }
                if (e.kind() != null) {
                    t.put(KIND, uint32(e.kind()));
                }
                yield Bech32.encode("nevent", t.bytes());
            }
            case Nip19Entity.Naddr a -> {
                Tlv t = new Tlv();
                t.put(SPECIAL, a.identifier().getBytes(StandardCharsets.UTF_8));
                a.relays().forEach(r -> t.put(RELAY, r.getBytes(StandardCharsets.UTF_8)));
                t.put(AUTHOR, Hex.decode(a.pubkey()));
                t.put(KIND, uint32(a.kind()));
                yield Bech32.encode("naddr", t.bytes());
            }
        };
    }

    /**
     * Decodes any supported entity.
     *
     * @throws IllegalArgumentException naming the problem: unknown prefix, bad checksum, wrong length,
     *     missing required TLV
     */
    public static Nip19Entity decode(String bech32) {
        String s = bech32.strip();
        if (s.regionMatches(true, 0, "nostr:", 0, 6)) {
            s = s.substring(6);
        }
        Bech32.Decoded d = Bech32.decode(s);
        byte[] data = d.data();
        return switch (d.hrp()) {
            case "npub" -> new Nip19Entity.Npub(Hex.encode(exactly(data, 32, "npub")));
            case "nsec" -> new Nip19Entity.Nsec(exactly(data, 32, "nsec"));
            case "note" -> new Nip19Entity.Note(Hex.encode(exactly(data, 32, "note")));
            case "nprofile" -> {
                Parsed p = parseTlv(data, "nprofile");
                yield new Nip19Entity.Nprofile(Hex.encode(exactly(p.special, 32, "nprofile pubkey")), p.relays);
            }
            case "nevent" -> {
                Parsed p = parseTlv(data, "nevent");
                String author = p.author == null ? null : Hex.encode(exactly(p.author, 32, "nevent author"));
                yield new Nip19Entity.Nevent(Hex.encode(exactly(p.special, 32, "nevent id")), p.relays, author, p.kind);
            }
            case "naddr" -> {
                Parsed p = parseTlv(data, "naddr");
                if (p.author == null) {
                    throw new IllegalArgumentException("naddr has no author");
                }
                if (p.kind == null) {
                    throw new IllegalArgumentException("naddr has no kind");
                }
                yield new Nip19Entity.Naddr(new String(p.special, StandardCharsets.UTF_8),
                        Hex.encode(exactly(p.author, 32, "naddr author")), p.kind, p.relays);
            }
            default -> throw new IllegalArgumentException("unknown NIP-19 prefix '" + d.hrp() + "'");
        };
    }

    private static byte[] exactly(byte[] b, int n, String what) {
        if (b == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (b.length != n) {
            throw new IllegalArgumentException(what + " must be " + n + " bytes, got " + b.length);
        }
        return b;
    }

    private static byte[] uint32(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("kind must not be negative");
        }
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static final class Parsed {
        byte[] special;
        byte[] author;
        Integer kind;
        final List<String> relays = new ArrayList<>();
    }

    private static Parsed parseTlv(byte[] data, String what) {
        Parsed p = new Parsed();
        int i = 0;
        while (i < data.length) {
            if (i + 2 > data.length) {
                throw new IllegalArgumentException(what + " has a truncated TLV");
            }
            int type = data[i] & 0xff;
            int len = data[i + 1] & 0xff;
            if (i + 2 + len > data.length) {
                throw new IllegalArgumentException(what + " has a TLV longer than its data");
            }
            byte[] v = java.util.Arrays.copyOfRange(data, i + 2, i + 2 + len);
            switch (type) {
                case SPECIAL -> {
                    if (p.special == null) {
                        p.special = v;
                    }
                }
                case RELAY -> p.relays.add(new String(v, StandardCharsets.US_ASCII));
                case AUTHOR -> {
                    if (p.author == null) {
                        p.author = v;
                    }
                }
                case KIND -> {
                    if (len != 4) {
                        throw new IllegalArgumentException(what + " kind must be 4 bytes");
                    }
                    long k = ((v[0] & 0xffL) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
                    if (k > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException(what + " kind is out of range");
                    }
                    p.kind = (int) k;
                }
                default -> { } // NIP-19: unknown TLVs are ignored
            }
            i += 2 + len;
        }
        if (p.special == null) {
            throw new IllegalArgumentException(what + " has no TLV 0 (special)");
        }
        return p;
    }

    private static final class Tlv {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void put(int type, byte[] value) {
            if (value.length > 255) {
                throw new IllegalArgumentException("TLV value is longer than 255 bytes");
            }
            out.write(type);
            out.write(value.length);
            out.writeBytes(value);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
