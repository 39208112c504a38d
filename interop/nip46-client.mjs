// The NIP-46 client side of the signer's interop test: nostr-tools' BunkerSigner (not our code)
// talking through a real relay to our bunker.
//   node nip46-client.mjs bunker <bunker://...>      connect with the URI's secret
//   node nip46-client.mjs nostrconnect <relay-url>   print a nostrconnect:// URI, wait for the signer
// Then: get_public_key, sign_event (verified), nip44 encrypt/decrypt round trips, ping, logout.
// Prints one JSON object with what happened; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';

if (typeof WebSocket === 'undefined') {
  // Node 20 has WebSocket only behind a flag; run again with it.
  const r = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', ...process.argv.slice(1)],
    { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { generateSecretKey, getPublicKey, verifyEvent, nip44, utils } = await import('nostr-tools');
const { BunkerSigner, parseBunkerInput, createNostrConnectURI } = await import('nostr-tools/nip46');

const [mode, arg] = process.argv.slice(2);
const timer = setTimeout(() => { console.error('nip46-client: timed out'); process.exit(3); }, 60000);
const clientSecret = generateSecretKey();
let signer;
if (mode === 'bunker') {
  const bp = await parseBunkerInput(arg);
  if (!bp) throw new Error('nostr-tools cannot parse ' + arg);
  signer = BunkerSigner.fromBunker(clientSecret, bp, { onauth: (url) => console.error('auth_url ' + url) });
  await signer.connect({ name: 'nostr-tools interop' });
} else if (mode === 'nostrconnect') {
  const uri = createNostrConnectURI({
    clientPubkey: getPublicKey(clientSecret), relays: [arg], secret: utils.bytesToHex(generateSecretKey()).slice(0, 16),
    perms: ['sign_event:1', 'nip44_encrypt', 'nip44_decrypt'], name: 'nostr-tools interop',
  });
  process.stdout.write(uri + '\n');
  signer = await BunkerSigner.fromURI(clientSecret, uri, { skipSwitchRelays: false }, 50000);
} else {
  throw new Error('usage: nip46-client.mjs bunker <uri> | nostrconnect <relay>');
}

const out = { clientPubkey: getPublicKey(clientSecret) };
out.userPubkey = await signer.getPublicKey();
const event = await signer.signEvent({ kind: 1, content: 'signed through a bunker', tags: [['t', 'nip46']],
  created_at: Math.floor(Date.now() / 1000) });
out.event = event;
out.verified = verifyEvent(event);

const peer = generateSecretKey();
const peerPub = getPublicKey(peer);
const toPeer = await signer.nip44Encrypt(peerPub, 'nip-44 round trip ✓');
out.nip44Encrypted = nip44.v2.decrypt(toPeer, nip44.v2.utils.getConversationKey(peer, out.userPubkey));
const fromPeer = nip44.v2.encrypt('hello back', nip44.v2.utils.getConversationKey(peer, out.userPubkey));
out.nip44Decrypted = await signer.nip44Decrypt(peerPub, fromPeer);
await signer.ping();
out.pinged = true;
await signer.logout();
out.loggedOut = true;
clearTimeout(timer);
process.stdout.write(JSON.stringify(out) + '\n');
await signer.close();
process.exit(0);
