// nostr-tools (an independent client) against a relay: publish, duplicate, invalid, subscribe,
// EOSE, live events, CLOSE, and reading an event another client published.
// Usage: node relay-nostr-tools.mjs <relay url> <id of an event already on the relay>
// Prints one JSON object per step; exits non-zero if a step times out.
import WebSocket from 'ws';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';

useWebSocketImplementation(WebSocket);
const [url, foreignId] = process.argv.slice(2);
const out = (o) => console.log(JSON.stringify(o));

async function until(what, cond, ms = 20000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function subscribeUntilEose(relay, filters, received) {
  let eose = false;
  const sub = relay.subscribe(filters, {
    eoseTimeout: 60000, // only a real EOSE counts
    onevent(e) { received.push(e.id); },
    oneose() { eose = true; },
  });
  await until('EOSE', () => eose);
  return sub;
}

const relay = await Relay.connect(url);
const notices = [];
relay.onnotice = (m) => notices.push(m);
const sk = generateSecretKey();
const pk = getPublicKey(sk);
const now = Math.floor(Date.now() / 1000);
const note = (content, at) => finalizeEvent({ kind: 1, created_at: at, tags: [['t', 'interop']], content }, sk);

const a = note('from nostr-tools', now - 10);
out({ step: 'publish', id: a.id, reason: await relay.publish(a) });
out({ step: 'duplicate', reason: await relay.publish(a) });
try {
  await relay.publish({ ...a, content: 'tampered after signing' });
  out({ step: 'invalid', accepted: true });
} catch (e) {
  out({ step: 'invalid', accepted: false, reason: e.message });
}

const got = [];
const sub = await subscribeUntilEose(relay, [{ authors: [pk] }], got);
out({ step: 'eose', stored: [...got] });

const b = note('live', now);
await relay.publish(b);
await until('live event', () => got.includes(b.id));
out({ step: 'live', id: b.id, got: [...got] });

sub.close();
const watched = [];
await subscribeUntilEose(relay, [{ authors: [pk] }], watched);
const c = note('after close', now);
await relay.publish(c);
await until('event on the second subscription', () => watched.includes(c.id));
out({ step: 'closed', id: c.id, got: [...got], watched: [...watched] });

const foreign = [];
await subscribeUntilEose(relay, [{ ids: [foreignId] }], foreign);
out({ step: 'foreign', got: foreign });

out({ step: 'notices', notices });
relay.close();
process.exit(0);
