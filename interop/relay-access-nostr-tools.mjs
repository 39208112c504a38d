// nostr-tools (an independent client) against the relay's access rules: NIP-42 AUTH (onauth and
// auth()), NIP-70 protected events, and NIP-17/NIP-59 gift wraps read back by their recipient
// after AUTH and refused or absent for everyone else.
// Usage: node relay-access-nostr-tools.mjs <relay url>
// Prints one JSON object per step; exits non-zero if a step times out.
import WebSocket from 'ws';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import * as nip17 from 'nostr-tools/nip17';

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

async function publish(relay, event) {
  try {
    return { accepted: true, reason: await relay.publish(event) };
  } catch (e) {
    return { accepted: false, reason: e.message };
  }
}

/** Subscribes until EOSE or CLOSED; returns the ids received and the CLOSED reason, if any. */
async function read(relay, filters) {
  const got = [];
  const events = [];
  let done = false;
  let closed = null;
  const sub = relay.subscribe(filters, {
    eoseTimeout: 60000,
    onevent(e) { got.push(e.id); events.push(e); },
    oneose() { done = true; },
    onclose(reason) { if (!done) { closed = reason; done = true; } },
  });
  await until('EOSE or CLOSED', () => done);
  const result = { got: [...got], events: [...events], closed };
  if (closed === null) sub.close();
  return result;
}

const alice = generateSecretKey();
const bob = generateSecretKey();
const carol = generateSecretKey();
const signer = (sk) => async (template) => finalizeEvent(template, sk);
const now = Math.floor(Date.now() / 1000);

// NIP-42 with auth(): wait for the challenge the relay sends on connect, then answer it.
const asAlice = await Relay.connect(url);
await until('challenge', () => asAlice.challenge);
out({ step: 'challenge', length: asAlice.challenge.length });
out({ step: 'auth', reason: await asAlice.auth(signer(alice)) });

// NIP-70: bob's protected note, first without AUTH, then from alice's connection, then as bob.
const asBob = await Relay.connect(url);
await until('challenge', () => asBob.challenge);
const protectedNote = finalizeEvent({ kind: 1, created_at: now, tags: [['-']], content: 'only from bob' }, bob);
out({ step: 'protected-anonymous', ...(await publish(asBob, protectedNote)) });
out({ step: 'protected-other', ...(await publish(asAlice, protectedNote)) });
await asBob.auth(signer(bob));
const again = finalizeEvent({ kind: 1, created_at: now + 1, tags: [['-']], content: 'only from bob, authenticated' }, bob);
out({ step: 'protected-author', id: again.id, ...(await publish(asBob, again)) });

// NIP-17: alice sends carol a private message; the relay gets the wraps (no AUTH needed to send).
const wraps = nip17.wrapManyEvents(alice, [{ publicKey: getPublicKey(carol) }], 'hello carol');
const toCarol = wraps.find((w) => w.tags.some((t) => t[0] === 'p' && t[1] === getPublicKey(carol)));
for (const w of wraps) {
  const r = await publish(asAlice, w);
  if (!r.accepted) throw new Error('wrap refused: ' + r.reason);
}
out({ step: 'wrapped', id: toCarol.id });

const anonymous = await Relay.connect(url);
const refused = await read(anonymous, [{ kinds: [1059], '#p': [getPublicKey(carol)] }]);
out({ step: 'wraps-anonymous', got: refused.got, closed: refused.closed });

const bobReads = await read(asBob, [{ kinds: [1059], '#p': [getPublicKey(carol)] }]);
out({ step: 'wraps-bob', got: bobReads.got, closed: bobReads.closed });

// NIP-42 with onauth: carol's client answers the challenge by itself as it arrives.
const asCarol = new Relay(url);
asCarol.onauth = signer(carol);
await asCarol.connect();
await until('onauth to finish', () => asCarol.authPromise);
out({ step: 'auth-carol', reason: await asCarol.authPromise });
const carolReads = await read(asCarol, [{ kinds: [1059] }]);
const opened = carolReads.events.map((e) => nip17.unwrapEvent(e, carol).content);
out({ step: 'wraps-carol', got: carolReads.got, opened, closed: carolReads.closed });

for (const r of [asAlice, asBob, anonymous, asCarol]) r.close();
process.exit(0);
