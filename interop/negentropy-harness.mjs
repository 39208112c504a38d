// The negentropy conformance harness (the line protocol of the reference project's test drivers)
// around the reference JavaScript implementation of negentropy, as published on npm inside
// @welshman/net (dist/net/src/negentropy.js: hoytech/negentropy js/Negentropy.js, reformatted).
// Our Java tests run it against nostr.core.negentropy.ConformanceHarness.
//
// stdin:  item,<ts>,<idhex> | seal | initiate | msg,<hex>      (one command per line)
// stdout: msg,<hex> | have,<idhex> | need,<idhex> | done
// env:    FRAMESIZELIMIT (bytes, 0 = unlimited); an emitted message over it is fatal.
// Any error is fatal: message on stderr, exit status 1.

import { createInterface } from 'node:readline';

// Loaded by path: only this file of the package is needed, not its relay-pool machinery.
const { Negentropy, NegentropyStorageVector } = await import(
  new URL('./node_modules/@welshman/net/dist/net/src/negentropy.js', import.meta.url));

// The reference picks its SHA-256 by environment: with no `window` it expects the CommonJS
// `crypto` module as a global (which an ES module does not have); with one it uses WebCrypto,
// which Node provides as globalThis.crypto (Node 18 only behind a flag, hence the fallback).
// Select the WebCrypto path.
globalThis.crypto ??= (await import('node:crypto')).webcrypto;
globalThis.window ??= globalThis;

const frameSizeLimit = process.env.FRAMESIZELIMIT ? parseInt(process.env.FRAMESIZELIMIT, 10) : 0;
const storage = new NegentropyStorageVector();
let ne = null;
const out = [];

function fatal(message) {
  process.stdout.write(out.join(''));
  process.stderr.write(`negentropy-harness.mjs: ${message}\n`);
  process.exit(1);
}

function checkFrameSize(hex) {
  if (frameSizeLimit && hex.length / 2 > frameSizeLimit) {
    fatal(`frameSizeLimit exceeded: ${hex.length / 2} > ${frameSizeLimit}`);
  }
}

async function handle(line) {
  line = line.trim();
  if (line === '') return;
  const fields = line.split(',');
  switch (fields[0]) {
    case 'item': {
      if (fields.length !== 3) throw Error('item needs 2 fields');
      storage.insert(parseInt(fields[1], 10), fields[2]);
      break;
    }
    case 'seal': {
      storage.seal();
      ne = new Negentropy(storage, frameSizeLimit);
      break;
    }
    case 'initiate': {
      const q = await ne.initiate();
      checkFrameSize(q);
      out.push(`msg,${q}\n`);
      break;
    }
    case 'msg': {
      const [next, haveIds, needIds] = await ne.reconcile(fields[1] ?? '');
      for (const id of haveIds) out.push(`have,${id}\n`);
      for (const id of needIds) out.push(`need,${id}\n`);
      if (next === null) {
        out.push('done\n');
      } else {
        checkFrameSize(next);
        out.push(`msg,${next}\n`);
      }
      break;
    }
    default:
      throw Error(`unknown command: ${fields[0]}`);
  }
}

const rl = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
try {
  // One line at a time: reconcile is async, and the next command must see its effects.
  for await (const line of rl) {
    await handle(line);
    if (out.length) {
      process.stdout.write(out.join(''));
      out.length = 0;
    }
  }
} catch (e) {
  fatal(e && e.message ? e.message : String(e));
}
