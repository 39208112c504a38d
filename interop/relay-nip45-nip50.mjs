// nostr-tools (an independent client) against a relay: NIP-45 COUNT (Relay.count and
// countWithHLL, the registers compared with nostr-tools' own NIP-45 computation over the events
// it published), a refused COUNT, and NIP-50 search subscriptions (ranked results, limit, live).
// Usage: node relay-nip45-nip50.mjs <relay url>
// Prints one JSON object per step; exits non-zero if a step times out.
import WebSocket from 'ws';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { computeOffset, feedEvent, hllEncode, newHll } from 'nostr-tools/nip45';

useWebSocketImplementation(WebSocket);
const [url] = process.argv.slice(2);
const out = (o) => console.log(JSON.stringify(o));

async function until(what, cond, ms = 20000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function query(relay, filters) {
  const got = [];
  let eose = false;
  const sub = relay.subscribe(filters, { eoseTimeout: 60000, onevent(e) { got.push(e.id); }, oneose() { eose = true; } });
  await until('EOSE', () => eose);
  sub.close();
  return got;
}

const relay = await Relay.connect(url);
const sk = generateSecretKey();
const pk = getPublicKey(sk);
const now = Math.floor(Date.now() / 1000);
const sign = (key, kind, content, tags, at = now) => finalizeEvent({ kind, created_at: at, tags, content }, key);

// NIP-45
const post = sign(sk, 1, 'react to me', []);
await relay.publish(post);
const reactions = [];
for (let i = 0; i < 30; i++) {
  const r = sign(generateSecretKey(), 7, '+', [['e', post.id], ['p', pk]]);
  await relay.publish(r);
  reactions.push(r);
}
const filter = { kinds: [7], '#e': [post.id] };
const plain = await relay.count([filter], {});
const withHll = await relay.countWithHLL([filter], {});
const offset = computeOffset(post.id);
let local = newHll();
for (const r of reactions) local = feedEvent(local, r, offset);
out({ step: 'count', count: plain, hllCount: withHll.count, hll: withHll.hll, expectedHll: hllEncode(local) });
out({ step: 'mine', count: await relay.count([{ authors: [pk] }], {}) });
try {
  await relay.count([{ kinds: [1059], '#p': [pk] }], {});
  out({ step: 'refused', refused: false });
} catch (e) {
  out({ step: 'refused', refused: true, reason: e.message });
}

// NIP-50
const dense = sign(sk, 1, 'purple purple purple rain', [], now - 30);
const sparse = sign(sk, 1, 'a long note where purple shows up once among plenty of other words about the sky', [], now - 20);
const other = sign(sk, 1, 'orange sky', [], now - 10);
for (const e of [dense, sparse, other]) await relay.publish(e);
out({ step: 'search', ids: await query(relay, [{ authors: [pk], search: 'purple' }]), dense: dense.id, sparse: sparse.id });
out({ step: 'limit', ids: await query(relay, [{ authors: [pk], search: 'purple', limit: 1 }]) });
out({ step: 'extensions', ids: await query(relay, [{ authors: [pk], search: 'orange language:en nsfw:false' }]), other: other.id });

const live = [];
let eose = false;
const sub = relay.subscribe([{ authors: [pk], search: 'violet' }], {
  eoseTimeout: 60000, onevent(e) { live.push(e.id); }, oneose() { eose = true; } });
await until('EOSE', () => eose);
const miss = sign(sk, 1, 'still orange', []);
const hit = sign(sk, 1, 'VIOLET hour', []);
await relay.publish(miss);
await relay.publish(hit);
await until('live search match', () => live.includes(hit.id));
sub.close();
out({ step: 'live', ids: live, hit: hit.id });

relay.close();
process.exit(0);
