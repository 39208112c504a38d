// NIP-45 HyperLogLog registers computed by nostr-tools (an implementation nobody here wrote), to
// check the relay's "hll" answers against.
// Usage: node nip45-hll.mjs   with stdin: {"value": "<first tag value of the filter>", "pubkeys": ["<hex>", ...]}
// Prints {"offset": n, "hll": "<512 hex chars>", "estimate": n}.
import { computeOffset, feedPubkey, hllEncode, newHll, estimateCount } from 'nostr-tools/nip45';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { value, pubkeys } = JSON.parse(input);
const offset = computeOffset(value);
let hll = newHll();
for (const pk of pubkeys) hll = feedPubkey(hll, pk, offset);
console.log(JSON.stringify({ offset, hll: hllEncode(hll), estimate: estimateCount(hll) }));
