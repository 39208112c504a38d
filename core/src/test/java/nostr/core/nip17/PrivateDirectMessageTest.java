package nostr.core.nip17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.event.InvalidEventException;
import nostr.core.keys.SecretKey;
import nostr.core.nip59.Rumor;
import org.junit.jupiter.api.Test;

/** NIP-17: "Examples" (the two final gift wraps), kind 14 and 15 rumors, wrapping for each receiver and the sender, kind 10050. */
class PrivateDirectMessageTest {
    private static final String SENDER_NSEC = "nsec1w8udu59ydjvedgs3yv5qccshcj8k05fh3l60k9x57asjrqdpa00qkmr89m";
    private static final String RECEIVER_NSEC = "nsec12ywtkplvyq5t6twdqwwygavp5lm4fhuang89c943nf2z92eez43szvn4dt";
    private static final String TO_RECEIVER = """
            {"id":"2886780f7349afc1344047524540ee716f7bdc1b64191699855662330bf235d8","pubkey":"8f8a7ec43b77d25799281207e1a47f7a654755055788f7482653f9c9661c6d51","created_at":1703128320,"kind":1059,"tags":[["p", "918e2da906df4ccd12c8ac672d8335add131a4cf9d27ce42b3bb3625755f0788"]],"content":"AsqzdlMsG304G8h08bE67dhAR1gFTzTckUUyuvndZ8LrGCvwI4pgC3d6hyAK0Wo9gtkLqSr2rT2RyHlE5wRqbCOlQ8WvJEKwqwIJwT5PO3l2RxvGCHDbd1b1o40ZgIVwwLCfOWJ86I5upXe8K5AgpxYTOM1BD+SbgI5jOMA8tgpRoitJedVSvBZsmwAxXM7o7sbOON4MXHzOqOZpALpS2zgBDXSAaYAsTdEM4qqFeik+zTk3+L6NYuftGidqVluicwSGS2viYWr5OiJ1zrj1ERhYSGLpQnPKrqDaDi7R1KrHGFGyLgkJveY/45y0rv9aVIw9IWF11u53cf2CP7akACel2WvZdl1htEwFu/v9cFXD06fNVZjfx3OssKM/uHPE9XvZttQboAvP5UoK6lv9o3d+0GM4/3zP+yO3C0NExz1ZgFmbGFz703YJzM+zpKCOXaZyzPjADXp8qBBeVc5lmJqiCL4solZpxA1865yPigPAZcc9acSUlg23J1dptFK4n3Tl5HfSHP+oZ/QS/SHWbVFCtq7ZMQSRxLgEitfglTNz9P1CnpMwmW/Y4Gm5zdkv0JrdUVrn2UO9ARdHlPsW5ARgDmzaxnJypkfoHXNfxGGXWRk0sKLbz/ipnaQP/eFJv/ibNuSfqL6E4BnN/tHJSHYEaTQ/PdrA2i9laG3vJti3kAl5Ih87ct0w/tzYfp4SRPhEF1zzue9G/16eJEMzwmhQ5Ec7jJVcVGa4RltqnuF8unUu3iSRTQ+/MNNUkK6Mk+YuaJJs6Fjw6tRHuWi57SdKKv7GGkr0zlBUU2Dyo1MwpAqzsCcCTeQSv+8qt4wLf4uhU9Br7F/L0ZY9bFgh6iLDCdB+4iABXyZwT7Ufn762195hrSHcU4Okt0Zns9EeiBOFxnmpXEslYkYBpXw70GmymQfJlFOfoEp93QKCMS2DAEVeI51dJV1e+6t3pCSsQN69Vg6jUCsm1TMxSs2VX4BRbq562+VffchvW2BB4gMjsvHVUSRl8i5/ZSDlfzSPXcSGALLHBRzy+gn0oXXJ/447VHYZJDL3Ig8+QW5oFMgnWYhuwI5QSLEyflUrfSz+Pdwn/5eyjybXKJftePBD9Q+8NQ8zulU5sqvsMeIx/bBUx0fmOXsS3vjqCXW5IjkmSUV7q54GewZqTQBlcx+90xh/LSUxXex7UwZwRnifvyCbZ+zwNTHNb12chYeNjMV7kAIr3cGQv8vlOMM8ajyaZ5KVy7HpSXQjz4PGT2/nXbL5jKt8Lx0erGXsSsazkdoYDG3U","sig":"a3c6ce632b145c0869423c1afaff4a6d764a9b64dedaf15f170b944ead67227518a72e455567ca1c2a0d187832cecbde7ed478395ec4c95dd3e71749ed66c480"}""";
    private static final String TO_SENDER = """
            {"id":"162b0611a1911cfcb30f8a5502792b346e535a45658b3a31ae5c178465509721","pubkey":"626be2af274b29ea4816ad672ee452b7cf96bbb4836815a55699ae402183f512","created_at":1702711587,"kind":1059,"tags":[["p", "44900586091b284416a0c001f677f9c49f7639a55c3f1e2ec130a8e1a7998e1b"]],"content":"AsTClTzr0gzXXji7uye5UB6LYrx3HDjWGdkNaBS6BAX9CpHa+Vvtt5oI2xJrmWLen+Fo2NBOFazvl285Gb3HSM82gVycrzx1HUAaQDUG6HI7XBEGqBhQMUNwNMiN2dnilBMFC3Yc8ehCJT/gkbiNKOpwd2rFibMFRMDKai2mq2lBtPJF18oszKOjA+XlOJV8JRbmcAanTbEK5nA/GnG3eGUiUzhiYBoHomj3vztYYxc0QYHOx0WxiHY8dsC6jPsXC7f6k4P+Hv5ZiyTfzvjkSJOckel1lZuE5SfeZ0nduqTlxREGeBJ8amOykgEIKdH2VZBZB+qtOMc7ez9dz4wffGwBDA7912NFS2dPBr6txHNxBUkDZKFbuD5wijvonZDvfWq43tZspO4NutSokZB99uEiRH8NAUdGTiNb25m9JcDhVfdmABqTg5fIwwTwlem5aXIy8b66lmqqz2LBzJtnJDu36bDwkILph3kmvaKPD8qJXmPQ4yGpxIbYSTCohgt2/I0TKJNmqNvSN+IVoUuC7ZOfUV9lOV8Ri0AMfSr2YsdZ9ofV5o82ClZWlWiSWZwy6ypa7CuT1PEGHzywB4CZ5ucpO60Z7hnBQxHLiAQIO/QhiBp1rmrdQZFN6PUEjFDloykoeHe345Yqy9Ke95HIKUCS9yJurD+nZjjgOxZjoFCsB1hQAwINTIS3FbYOibZnQwv8PXvcSOqVZxC9U0+WuagK7IwxzhGZY3vLRrX01oujiRrevB4xbW7Oxi/Agp7CQGlJXCgmRE8Rhm+Vj2s+wc/4VLNZRHDcwtfejogjrjdi8p6nfUyqoQRRPARzRGUnnCbh+LqhigT6gQf3sVilnydMRScEc0/YYNLWnaw9nbyBa7wFBAiGbJwO40k39wj+xT6HTSbSUgFZzopxroO3f/o4+ubx2+IL3fkev22mEN38+dFmYF3zE+hpE7jVxrJpC3EP9PLoFgFPKCuctMnjXmeHoiGs756N5r1Mm1ffZu4H19MSuALJlxQR7VXE/LzxRXDuaB2u9days/6muP6gbGX1ASxbJd/ou8+viHmSC/ioHzNjItVCPaJjDyc6bv+gs1NPCt0qZ69G+JmgHW/PsMMeL4n5bh74g0fJSHqiI9ewEmOG/8bedSREv2XXtKV39STxPweceIOh0k23s3N6+wvuSUAJE7u1LkDo14cobtZ/MCw/QhimYPd1u5HnEJvRhPxz0nVPz0QqL/YQeOkAYk7uzgeb2yPzJ6DBtnTnGDkglekhVzQBFRJdk740LEj6swkJ","sig":"c94e74533b482aa8eeeb54ae72a5303e0b21f62909ca43c8ef06b0357412d6f8a92f96e1a205102753777fd25321a58fba3fb384eee114bd53ce6c06a1c22bab"}""";

    @Test
    void nip17ExampleWrapsOpenForTheReceiverAndTheSender() throws Exception {
        SecretKey sender = SecretKey.parse(SENDER_NSEC);
        SecretKey receiver = SecretKey.parse(RECEIVER_NSEC);
        assertEquals("918e2da906df4ccd12c8ac672d8335add131a4cf9d27ce42b3bb3625755f0788", receiver.publicKey().hex());
        assertEquals("44900586091b284416a0c001f677f9c49f7639a55c3f1e2ec130a8e1a7998e1b", sender.publicKey().hex());
        PrivateDirectMessage.Message atReceiver = PrivateDirectMessage.unwrap(Event.parse(TO_RECEIVER), receiver);
        PrivateDirectMessage.Message atSender = PrivateDirectMessage.unwrap(Event.parse(TO_SENDER), sender);
        for (PrivateDirectMessage.Message m : List.of(atReceiver, atSender)) {
            assertEquals("Hola, que tal?", m.rumor().content());
            assertEquals(PrivateDirectMessage.CHAT_KIND, m.rumor().kind());
            assertEquals(sender.publicKey(), m.sender());
            assertEquals(Set.of(sender.publicKey().hex(), receiver.publicKey().hex()), m.room());
        }
        assertEquals(atReceiver.rumor(), atSender.rumor(), "both wraps carry the same rumor");
        assertThrows(InvalidEventException.class, () -> PrivateDirectMessage.unwrap(Event.parse(TO_RECEIVER), sender));
    }

    @Test
    void nip17ChatIsWrappedForEachReceiverAndTheSender() throws Exception {
        SecretKey alice = SecretKey.generate();
        SecretKey bob = SecretKey.generate();
        SecretKey carol = SecretKey.generate();
        Rumor chat = PrivateDirectMessage.chat(alice.publicKey(),
                List.of(new PrivateDirectMessage.Recipient(bob.publicKey(), "wss://bob.example"),
                        PrivateDirectMessage.Recipient.of(carol.publicKey())),
                "lunch?", List.of(List.of("subject", "plans")));
        assertEquals(14, chat.kind());
        assertEquals(List.of(List.of("p", bob.publicKey().hex(), "wss://bob.example"), List.of("p", carol.publicKey().hex()),
                List.of("subject", "plans")), chat.tags());
        assertTrue(chat.hasValidId());

        List<PrivateDirectMessage.Outgoing> out = PrivateDirectMessage.wrap(chat, alice);
        assertEquals(List.of(bob.publicKey(), carol.publicKey(), alice.publicKey()),
                out.stream().map(PrivateDirectMessage.Outgoing::recipient).toList());
        assertEquals(List.of("p", bob.publicKey().hex(), "wss://bob.example"), out.get(0).wrap().tags().get(0));
        assertEquals(3, out.stream().map(o -> o.wrap().pubkey()).distinct().count(), "one-time key per wrap");
        SecretKey[] keys = {bob, carol, alice};
        for (int i = 0; i < 3; i++) {
            PrivateDirectMessage.Message m = PrivateDirectMessage.unwrap(out.get(i).wrap(), keys[i]);
            assertEquals(chat, m.rumor());
            assertEquals(alice.publicKey(), m.sender());
            assertEquals("plans", m.subject());
            assertEquals(Set.of(alice.publicKey().hex(), bob.publicKey().hex(), carol.publicKey().hex()), m.room());
        }
        assertThrows(InvalidEventException.class, () -> PrivateDirectMessage.unwrap(out.get(0).wrap(), carol));
        assertThrows(IllegalArgumentException.class, () -> PrivateDirectMessage.wrap(chat, bob), "not bob's rumor");
    }

    @Test
    void nip17FileMessageCarriesTheFileTags() throws Exception {
        SecretKey alice = SecretKey.generate();
        SecretKey bob = SecretKey.generate();
        String x = "a".repeat(64);
        PrivateDirectMessage.FileAttachment f = new PrivateDirectMessage.FileAttachment("https://blossom.example/" + x,
                "image/jpeg", "aes-gcm", "k3y", "n0nce", x, "b".repeat(64), 1234L, "640x480");
        Rumor r = PrivateDirectMessage.file(alice.publicKey(), List.of(PrivateDirectMessage.Recipient.of(bob.publicKey())), f, List.of());
        assertEquals(15, r.kind());
        assertEquals("https://blossom.example/" + x, r.content());
        assertEquals("image/jpeg", r.tagValue("file-type"));
        assertEquals("aes-gcm", r.tagValue("encryption-algorithm"));
        assertEquals("k3y", r.tagValue("decryption-key"));
        assertEquals("n0nce", r.tagValue("decryption-nonce"));
        assertEquals(x, r.tagValue("x"));
        assertEquals("b".repeat(64), r.tagValue("ox"));
        assertEquals("1234", r.tagValue("size"));
        assertEquals("640x480", r.tagValue("dim"));
        assertEquals(r, PrivateDirectMessage.unwrap(PrivateDirectMessage.wrap(r, alice).get(0).wrap(), bob).rumor());
        assertThrows(IllegalArgumentException.class, () -> new PrivateDirectMessage.FileAttachment("u", "t", "a", "k", "n",
                "not hex", null, null, null));
    }

    @Test
    void nip17InboxRelayList() {
        SecretKey alice = SecretKey.generate();
        Event e = PrivateDirectMessage.inboxRelays(List.of("wss://inbox.nostr.wine", "wss://myrelay.nostr1.com")).sign(alice);
        assertEquals(10050, e.kind());
        assertEquals(List.of("wss://inbox.nostr.wine", "wss://myrelay.nostr1.com"), PrivateDirectMessage.inboxRelays(e));
        assertThrows(IllegalArgumentException.class, () -> PrivateDirectMessage.inboxRelays(List.of()));
        assertThrows(IllegalArgumentException.class, () -> PrivateDirectMessage.chat(alice.publicKey(), List.of(), "x", List.of()));
    }
}
