// Test write-policy plugin (strfry protocol): decides by the event's content.
//   "reject ..."   -> reject with a prefixed message
//   "plain ..."    -> reject with a message that has no NIP-01 prefix
//   "shadow ..."   -> shadowReject
//   "crash"        -> exits with status 3 without answering
//   "slow ..."     -> answers only after the next request has been answered (out of order)
//   "bad line"     -> writes a line that is not JSON, then accepts
//   anything else  -> accept
// Every request line is also checked for the fields the relay must send; a missing one rejects.
import readline from 'node:readline';

const rl = readline.createInterface({ input: process.stdin, terminal: false });
let held = null;
const answer = (o) => process.stdout.write(JSON.stringify(o) + '\n');

rl.on('line', (line) => {
  const req = JSON.parse(line);
  const e = req.event;
  const missing = ['type', 'event', 'receivedAt', 'sourceType', 'sourceInfo'].filter((k) => !(k in req));
  if (req.type !== 'new' || missing.length > 0) {
    answer({ id: e && e.id, action: 'reject', msg: 'invalid: plugin input lacks ' + missing.join(',') });
    return;
  }
  const c = e.content;
  if (c === 'crash') {
    process.stderr.write('test plugin: crashing on purpose\n');
    process.exit(3);
  }
  if (c.startsWith('slow')) {
    held = e.id;
    return;
  }
  if (c.startsWith('reject')) {
    answer({ id: e.id, action: 'reject', msg: 'blocked: the test plugin refuses "' + c + '"' });
  } else if (c.startsWith('plain')) {
    answer({ id: e.id, action: 'reject', msg: 'no prefix here' });
  } else if (c.startsWith('shadow')) {
    answer({ id: e.id, action: 'shadowReject' });
  } else if (c.startsWith('bad line')) {
    process.stdout.write('this is not json\n');
    answer({ id: e.id, action: 'accept' });
  } else if (c.startsWith('whoami')) {
    answer({ id: e.id, action: 'reject', msg: 'blocked: ' + req.sourceType + ' ' + req.sourceInfo + ' ' + (req.authed || []).join(',') });
  } else {
    answer({ id: e.id, action: 'accept' });
  }
  if (held !== null && !c.startsWith('slow')) {
    answer({ id: held, action: 'accept' });
    held = null;
  }
});
