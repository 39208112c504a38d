package nostr.core.nip59;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;
import nostr.core.keys.SecretKey;
import nostr.core.nip44.Nip44;
import org.junit.jupiter.api.Test;

/** NIP-59: rumor, seal (kind 13), gift wrap (kind 1059/21059), "An Example", and the checks an unwrapper must make. */
class GiftWrapTest {
    /** "An Example", step 3 (the NIP's JSON has a trailing comma; fields copied verbatim). */
    static final String EXAMPLE_WRAP = """
            {"content":"AhC3Qj/QsKJFWuf6xroiYip+2yK95qPwJjVvFujhzSguJWb/6TlPpBW0CGFwfufCs2Zyb0JeuLmZhNlnqecAAalC4ZCugB+I9ViA5pxLyFfQjs1lcE6KdX3euCHBLAnE9GL/+IzdV9vZnfJH6atVjvBkNPNzxU+OLCHO/DAPmzmMVx0SR63frRTCz6Cuth40D+VzluKu1/Fg2Q1LSst65DE7o2efTtZ4Z9j15rQAOZfE9jwMCQZt27rBBK3yVwqVEriFpg2mHXc1DDwHhDADO8eiyOTWF1ghDds/DxhMcjkIi/o+FS3gG1dG7gJHu3KkGK5UXpmgyFKt+421m5o++RMD/BylS3iazS1S93IzTLeGfMCk+7IKxuSCO06k1+DaasJJe8RE4/rmismUvwrHu/HDutZWkvOAhd4z4khZo7bJLtiCzZCZ74lZcjOB4CYtuAX2ZGpc4I1iOKkvwTuQy9BWYpkzGg3ZoSWRD6ty7U+KN+fTTmIS4CelhBTT15QVqD02JxfLF7nA6sg3UlYgtiGw61oH68lSbx16P3vwSeQQpEB5JbhofW7t9TLZIbIW/ODnI4hpwj8didtk7IMBI3Ra3uUP7ya6vptkd9TwQkd/7cOFaSJmU+BIsLpOXbirJACMn+URoDXhuEtiO6xirNtrPN8jYqpwvMUm5lMMVzGT3kMMVNBqgbj8Ln8VmqouK0DR+gRyNb8fHT0BFPwsHxDskFk5yhe5c/2VUUoKCGe0kfCcX/EsHbJLUUtlHXmTqaOJpmQnW1tZ/siPwKRl6oEsIJWTUYxPQmrM2fUpYZCuAo/29lTLHiHMlTbarFOd6J/ybIbICy2gRRH/LFSryty3Cnf6aae+A9uizFBUdCwTwffc3vCBae802+R92OL78bbqHKPbSZOXNC+6ybqziezwG+OPWHx1Qk39RYaF0aFsM4uZWrFic97WwVrH5i+/Nsf/OtwWiuH0gV/SqvN1hnkxCTF/+XNn/laWKmS3e7wFzBsG8+qwqwmO9aVbDVMhOmeUXRMkxcj4QreQkHxLkCx97euZpC7xhvYnCHarHTDeD6nVK+xzbPNtzeGzNpYoiMqxZ9bBJwMaHnEoI944Vxoodf51cMIIwpTmmRvAzI1QgrfnOLOUS7uUjQ/IZ1Qa3lY08Nqm9MAGxZ2Ou6R0/Z5z30ha/Q71q6meAs3uHQcpSuRaQeV29IASmye2A2Nif+lmbhV7w8hjFYoaLCRsdchiVyNjOEM4VmxUhX4VEvw6KoCAZ/XvO2eBF/SyNU3Of4SO",
             "kind":1059,"created_at":1703021488,
             "pubkey":"18b1a75918f1f2c90c23da616bce317d36e348bcf5f7ba55e75949319210c87c",
             "id":"5c005f3ccf01950aa8d131203248544fb1e41a0d698e846bd419cec3890903ac",
             "sig":"35fabdae4634eb630880a1896a886e40fd6ea8a60958e30b89b33a93e6235df750097b04f9e13053764251b8bc5dd7e8e0794a3426a90b6bcc7e5ff660f54259",
             "tags":[["p","166bf3765ebd1fc55decfe395beff2ea3b2a4e0a8946e7eb578512b555737c99"]]}""";

    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();

    @Test
    void nip59ExampleUnwrapsToTheRumorOfStep1() throws Exception {
        SecretKey recipient = SecretKey.parse("e108399bd8424357a710b606ae0c13166d853d327e47a6e5e038197346bdbf45");
        assertEquals("166bf3765ebd1fc55decfe395beff2ea3b2a4e0a8946e7eb578512b555737c99", recipient.publicKey().hex());
        GiftWrap.Unwrapped u = GiftWrap.unwrap(Event.parse(EXAMPLE_WRAP), recipient);
        assertEquals("28a87d7c074d94a58e9e89bb3e9e4e813e2189f285d797b1c56069d36f59eaa7", u.seal().id());
        assertEquals(1703015180L, u.seal().createdAt());
        Rumor r = u.rumor();
        assertEquals("9dd003c6d3b73b74a85a9ab099469ce251653a7af76f523671ab828acd2a0ef9", r.id());
        assertEquals("611df01bfcf85c26ae65453b772d8f1dfd25c264621c0277e1fc1518686faef9", r.pubkey());
        assertEquals(1691518405L, r.createdAt());
        assertEquals(1, r.kind());
        assertEquals("Are you going to the party tonight?", r.content());
        assertEquals(SecretKey.parse("0beebd062ec8735f4243466049d7747ef5d6594ee838de147f8aab842b15e273").publicKey(), u.sender());
    }

    @Test
    void nip59WrapAndUnwrapRoundTrip() throws Exception {
        Rumor rumor = Rumor.of(EventTemplate.of(1, "hello \ud83c\udf81", List.of(List.of("t", "x"))), alice.publicKey().hex());
        long now = Instant.now().getEpochSecond();
        Event seal = GiftWrap.seal(rumor, alice, bob.publicKey());
        Event wrap = GiftWrap.wrap(seal, bob.publicKey());
        assertEquals(GiftWrap.SEAL_KIND, seal.kind());
        assertEquals(List.of(), seal.tags());
        assertEquals(alice.publicKey().hex(), seal.pubkey());
        assertEquals(GiftWrap.KIND, wrap.kind());
        assertEquals(List.of(List.of("p", bob.publicKey().hex())), wrap.tags());
        assertNotEquals(alice.publicKey().hex(), wrap.pubkey(), "wrap is signed by a one-time key");
        for (Event e : List.of(seal, wrap)) {
            assertTrue(e.createdAt() <= Instant.now().getEpochSecond() && e.createdAt() >= now - GiftWrap.MAX_TIME_TWEAK_SECONDS,
                    "created_at within the two past days: " + e.createdAt());
            e.verify();
        }
        GiftWrap.Unwrapped u = GiftWrap.unwrap(wrap, bob);
        assertEquals(rumor, u.rumor());
        assertEquals(alice.publicKey(), u.sender());
        assertEquals(seal, u.seal());
    }

    @Test
    void nip59TimestampsAreSpreadOverTwoDays() {
        Rumor rumor = Rumor.of(EventTemplate.of(1, "x", List.of()), alice.publicKey().hex());
        long now = Instant.now().getEpochSecond();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 40; i++) {
            long t = GiftWrap.wrap(rumor, alice, bob.publicKey()).createdAt();
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        // 40 uniform draws over 172800 s span well over a day unless the randomization is broken.
        assertTrue(max - min > 86_400, "spread " + (max - min));
        assertTrue(min >= now - GiftWrap.MAX_TIME_TWEAK_SECONDS);
    }

    @Test
    void nip59EphemeralWrapAndRelayHint() throws Exception {
        Rumor rumor = Rumor.of(EventTemplate.of(1, "x", List.of()), alice.publicKey().hex());
        Event wrap = GiftWrap.wrap(GiftWrap.seal(rumor, alice, bob.publicKey()), bob.publicKey(), GiftWrap.EPHEMERAL_KIND,
                "wss://inbox.example", List.of(List.of("expiration", "99999999999")));
        assertEquals(21059, wrap.kind());
        assertEquals(List.of(List.of("p", bob.publicKey().hex(), "wss://inbox.example"), List.of("expiration", "99999999999")), wrap.tags());
        assertEquals(rumor, GiftWrap.unwrap(wrap, bob).rumor());
    }

    @Test
    void nip59RefusesASealWhoseSignerDidNotWriteTheRumor() throws Exception {
        SecretKey eve = SecretKey.generate();
        Rumor forged = Rumor.of(EventTemplate.of(14, "send me money", List.of()), alice.publicKey().hex());
        assertThrows(IllegalArgumentException.class, () -> GiftWrap.seal(forged, eve, bob.publicKey()));
        // Eve builds the seal by hand, signing it herself around Alice's rumor.
        String content = Nip44.encrypt(forged.toJson(), Nip44.conversationKey(eve, bob.publicKey()));
        Event seal = new EventTemplate(forged.createdAt(), 13, List.of(), content).sign(eve);
        Event wrap = GiftWrap.wrap(seal, bob.publicKey());
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> GiftWrap.unwrap(wrap, bob));
        assertTrue(e.getMessage().contains("is not the seal's signer"), e.getMessage());
        assertTrue(e.getMessage().contains("impersonation"), e.getMessage());
    }

    @Test
    void nip59RefusesBrokenLayers() throws Exception {
        Rumor rumor = Rumor.of(EventTemplate.of(1, "x", List.of()), alice.publicKey().hex());
        Event wrap = GiftWrap.wrap(rumor, alice, bob.publicKey());

        assertEquals("gift wrap does not decrypt: invalid MAC", reason(() -> GiftWrap.unwrap(wrap, SecretKey.generate())));
        assertEquals("not a gift wrap: kind 1", reason(() -> GiftWrap.unwrap(EventTemplate.of(1, "", List.of()).sign(alice), bob)));

        Event badSig = Event.parse(wrap.json().replace(wrap.sig(), flip(wrap.sig())));
        assertEquals("gift wrap signature is invalid", reason(() -> GiftWrap.unwrap(badSig, bob)));

        // A seal of the wrong kind, a signed rumor, a rumor with a wrong id: each wrapped correctly.
        SecretKey oneTime = SecretKey.generate();
        Event notSeal = new EventTemplate(1, 1, List.of(),
                Nip44.encrypt(rumor.toJson(), Nip44.conversationKey(alice, bob.publicKey()))).sign(alice);
        Event wrapped = new EventTemplate(1, 1059, List.of(List.of("p", bob.publicKey().hex())),
                Nip44.encrypt(notSeal.json(), Nip44.conversationKey(oneTime, bob.publicKey()))).sign(oneTime);
        assertEquals("seal must be kind 13, got 1", reason(() -> GiftWrap.unwrap(wrapped, bob)));

        Event signedRumor = rumor.template().sign(alice);
        assertEquals("rumor must not be signed", reason(() -> GiftWrap.unwrap(sealAndWrap(signedRumor.json()), bob)));
        String wrongId = rumor.toJson().replace(rumor.id(), flip(rumor.id()));
        assertEquals("rumor id does not match its contents", reason(() -> GiftWrap.unwrap(sealAndWrap(wrongId), bob)));
        assertEquals("rumor is missing field content",
                reason(() -> GiftWrap.unwrap(sealAndWrap("{\"id\":\"" + rumor.id() + "\",\"pubkey\":\"" + rumor.pubkey()
                        + "\",\"created_at\":1,\"kind\":1,\"tags\":[]}"), bob)));
        assertTrue(reason(() -> GiftWrap.unwrap(sealAndWrap("not json"), bob)).startsWith("rumor is malformed JSON"));
        assertTrue(reason(() -> GiftWrap.unwrap(sealAndWrapRaw("{\"kind\":13}"), bob)).startsWith("seal missing field"));
    }

    @Test
    void nip59WrapRefusesBadArguments() {
        Event notSeal = EventTemplate.of(1, "", List.of()).sign(alice);
        assertThrows(IllegalArgumentException.class, () -> GiftWrap.wrap(notSeal, bob.publicKey()));
        Rumor rumor = Rumor.of(EventTemplate.of(1, "x", List.of()), alice.publicKey().hex());
        Event seal = GiftWrap.seal(rumor, alice, bob.publicKey());
        assertThrows(IllegalArgumentException.class, () -> GiftWrap.wrap(seal, bob.publicKey(), 1060, null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Rumor.of(EventTemplate.of(1, "", List.of()), "xyz"));
    }

    private Event sealAndWrap(String rumorJson) {
        Event seal = new EventTemplate(1, 13, List.of(), Nip44.encrypt(rumorJson, Nip44.conversationKey(alice, bob.publicKey()))).sign(alice);
        return sealAndWrapRaw(seal.json());
    }

    private Event sealAndWrapRaw(String sealJson) {
        SecretKey oneTime = SecretKey.generate();
        return new EventTemplate(1, 1059, List.of(List.of("p", bob.publicKey().hex())),
                Nip44.encrypt(sealJson, Nip44.conversationKey(oneTime, bob.publicKey()))).sign(oneTime);
    }

    private static String flip(String hex) {
        char c = hex.charAt(hex.length() - 1);
        return hex.substring(0, hex.length() - 1) + (c == '0' ? '1' : '0');
    }

    private static String reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(InvalidEventException.class, e).getMessage();
    }
}
