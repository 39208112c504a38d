// blossom-client-sdk (an independent Blossom client) against our server: upload (new, then
// existing), has, download, list, delete, a refused upload, and a blob another client uploaded.
// Auth tokens are signed with nostr-tools. Usage: node blossom-sdk.mjs <server url> <sha256 of a blob already there>
// Prints one JSON object per step; exits non-zero when a step throws unexpectedly.
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { Actions, createUploadAuth, createListAuth, createDeleteAuth, createAuthEvent } from 'blossom-client-sdk';
import { createHash, randomBytes } from 'node:crypto';

const [server, foreignSha] = process.argv.slice(2);
const out = (o) => console.log(JSON.stringify(o));
const sk = generateSecretKey();
const pk = getPublicKey(sk);
const signer = async (draft) => finalizeEvent(draft, sk);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const bytes = randomBytes(100_000);
const blob = new Blob([bytes], { type: 'text/plain' });
const sha = sha256(bytes);
out({ step: 'pubkey', pubkey: pk, sha256: sha });

const onAuth = (srv, hash) => createUploadAuth(signer, hash, { servers: srv });
const first = await Actions.uploadBlob(server, blob, { onAuth });
out({ step: 'upload', descriptor: first });
const again = await Actions.uploadBlob(server, blob, { onAuth });
out({ step: 'upload-again', descriptor: again });

out({ step: 'has', has: await Actions.hasBlob(server, sha) });

const res = await Actions.downloadBlob(server, sha);
const got = Buffer.from(await res.arrayBuffer());
out({ step: 'download', sha256: sha256(got), size: got.length, type: res.headers.get('content-type') });

const foreign = await Actions.downloadBlob(server, foreignSha);
out({ step: 'download-foreign', sha256: sha256(Buffer.from(await foreign.arrayBuffer())) });

const listed = await Actions.listBlobs(server, pk, { onAuth: (srv) => createListAuth(signer, { servers: srv }) });
out({ step: 'list', sha256s: listed.map((d) => d.sha256) });

// An expired token: the server must refuse it with 401 and say why.
const expired = await createAuthEvent(signer, 'upload', { blobs: [sha256(Buffer.from('other'))], expiration: Math.floor(Date.now() / 1000) - 60 });
const other = new Blob([Buffer.from('other')], { type: 'text/plain' });
try {
  await Actions.uploadBlob(server, other, { onAuth: async () => expired });
  out({ step: 'expired', accepted: true });
} catch (e) {
  out({ step: 'expired', accepted: false, status: e.status ?? null, message: e.message });
}

const deleted = await Actions.deleteBlob(server, sha, { onAuth: (srv, hash) => createDeleteAuth(signer, hash, { servers: srv }) });
out({ step: 'delete', deleted });
out({ step: 'has-after-delete', has: await Actions.hasBlob(server, sha) });
