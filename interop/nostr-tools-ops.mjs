// The other side of core's interop tests: nostr-tools (an implementation nobody here wrote) doing
// one operation over a batch of cases. Reads {"op": ..., ...} as JSON on stdin, writes the result as
// JSON on stdout. Bytes travel as lowercase hex. A case that throws yields {"error": message}.
import {
  finalizeEvent, verifyEvent, getPublicKey, nip04, nip13, nip17, nip19, nip44, nip59, nip98, utils,
} from 'nostr-tools';
import * as nip49 from 'nostr-tools/nip49';

const { hexToBytes, bytesToHex } = utils;

const attempt = (f) => {
  try {
    return f();
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
};
const attemptAsync = async (f) => {
  try {
    return await f();
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
};
const plain = (v) => (v instanceof Uint8Array ? bytesToHex(v) : v);

const ops = {
  sign: (r) => r.templates.map((t) => attempt(() => {
    const e = finalizeEvent({ ...t, tags: t.tags.map((x) => [...x]) }, hexToBytes(r.secretKey));
    return { id: e.id, pubkey: e.pubkey, created_at: e.created_at, kind: e.kind, tags: e.tags, content: e.content, sig: e.sig };
  })),
  verify: (r) => r.events.map((e) => verifyEvent(e)),
  nip44: (r) => r.cases.map((c) => attempt(() => {
    const ck = nip44.v2.utils.getConversationKey(hexToBytes(c.secretKey), c.pubkey);
    return { conversationKey: bytesToHex(ck), payload: nip44.v2.encrypt(c.plaintext, ck, hexToBytes(c.nonce)) };
  })),
  nip44Decrypt: (r) => r.cases.map((c) => attempt(() => nip44.v2.decrypt(c.payload, hexToBytes(c.conversationKey)))),
  nip19Encode: (r) => r.cases.map((c) => attempt(() => {
    switch (c.type) {
      case 'npub': return nip19.npubEncode(c.pubkey);
      case 'nsec': return nip19.nsecEncode(hexToBytes(c.secretKey));
      case 'note': return nip19.noteEncode(c.id);
      case 'nprofile': return nip19.nprofileEncode({ pubkey: c.pubkey, relays: c.relays });
      case 'nevent': return nip19.neventEncode({ id: c.id, relays: c.relays, author: c.author, kind: c.kind });
      case 'naddr': return nip19.naddrEncode({ identifier: c.identifier, pubkey: c.pubkey, kind: c.kind, relays: c.relays });
      default: throw new Error('unknown type ' + c.type);
    }
  })),
  nip19Decode: (r) => r.strings.map((s) => attempt(() => {
    const d = nip19.decode(s);
    return { type: d.type, data: typeof d.data === 'object' && !(d.data instanceof Uint8Array) ? d.data : plain(d.data) };
  })),
  nip04Encrypt: async (r) => Promise.all(r.plaintexts.map((p) => attemptAsync(() => nip04.encrypt(r.secretKey, r.pubkey, p)))),
  nip04Decrypt: async (r) => Promise.all(r.payloads.map((p) => attemptAsync(() => nip04.decrypt(r.secretKey, r.pubkey, p)))),
  nip49Encrypt: (r) => attempt(() => nip49.encrypt(hexToBytes(r.secretKey), r.password, r.logn, r.ksb)),
  nip49Decrypt: (r) => attempt(() => bytesToHex(nip49.decrypt(r.ncryptsec, r.password))),
  nip59Wrap: (r) => attempt(() => nip59.wrapEvent(r.event, hexToBytes(r.senderSecret), r.recipientPubkey)),
  nip59Unwrap: (r) => attempt(() => nip59.unwrapEvent(r.wrap, hexToBytes(r.recipientSecret))),
  nip17Wrap: (r) => attempt(() => nip17.wrapEvent(hexToBytes(r.senderSecret),
    { publicKey: r.recipientPubkey, relayUrl: r.relayUrl }, r.message, r.subject)),
  nip98Token: async (r) => attemptAsync(() => nip98.getToken(r.url, r.method,
    (e) => finalizeEvent(e, hexToBytes(r.secretKey)), true, r.body ?? undefined)),
  nip98Validate: async (r) => attemptAsync(async () => {
    const event = await nip98.unpackEventFromToken(r.token);
    return await nip98.validateEvent(event, r.url, r.method, r.body ?? undefined);
  }),
  nip13: (r) => r.ids.map((id) => nip13.getPow(id)),
  nip13Mine: (r) => attempt(() => {
    const e = nip13.minePow({ ...r.template, tags: r.template.tags.map((x) => [...x]), pubkey: r.pubkey }, r.difficulty);
    return { id: e.id, pubkey: e.pubkey, created_at: e.created_at, kind: e.kind, tags: e.tags, content: e.content };
  }),
  publicKey: (r) => getPublicKey(hexToBytes(r.secretKey)),
};

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);
const op = ops[request.op];
if (!op) {
  process.stderr.write('unknown op ' + request.op + '\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify(await op(request)) + '\n');
