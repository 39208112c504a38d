// NIP-86 management call signed by nostr-tools' NIP-98 helper (an independent client):
// getToken(url, 'POST', sign, true, payload) puts the payload tag as sha256(JSON.stringify(payload)),
// so the body sent is exactly JSON.stringify(payload). Posted with node's fetch.
// Usage: node nip86-nostr-tools.mjs <http url> <secret key hex> <method> <params as JSON array>
// Prints {"status": <http status>, "body": <parsed JSON body>, "authenticate": <WWW-Authenticate or null>}.
import { getToken } from 'nostr-tools/nip98';
import { finalizeEvent } from 'nostr-tools/pure';

const [url, secretHex, method, paramsJson] = process.argv.slice(2);
const sk = Uint8Array.from(Buffer.from(secretHex, 'hex'));
const payload = { method, params: JSON.parse(paramsJson ?? '[]') };
const token = await getToken(url, 'POST', (e) => finalizeEvent(e, sk), true, payload);
const res = await fetch(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/nostr+json+rpc', Authorization: token },
  body: JSON.stringify(payload),
});
const text = await res.text();
console.log(JSON.stringify({ status: res.status, body: JSON.parse(text), authenticate: res.headers.get('www-authenticate') }));
