// Independent reference for NIP-01 canonical serialization: JSON.stringify (ECMAScript escaping)
// and SHA-256 of its UTF-8, for a batch of cases read from stdin as one JSON array.
// Each case is [pubkey, created_at, kind, tags, content]; for each, one output line:
// <sha256 of JSON.stringify([0, ...case])> <sha256 of JSON.stringify(content)> <sha256 of JSON.stringify(tags)>
import { createHash } from 'node:crypto';

const sha256 = (s) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
const out = [];
for (const [pubkey, createdAt, kind, tags, content] of cases) {
  out.push([
    sha256(JSON.stringify([0, pubkey, createdAt, kind, tags, content])),
    sha256(JSON.stringify(content)),
    sha256(JSON.stringify(tags)),
  ].join(' '));
}
process.stdout.write(out.join('\n') + '\n');
