// Test write-policy plugin that accepts one event and then dies with status 1 on the next one,
// so each process answers exactly once (the relay must restart it for every other event).
import readline from 'node:readline';

const rl = readline.createInterface({ input: process.stdin, terminal: false });
let seen = 0;
rl.on('line', (line) => {
  const req = JSON.parse(line);
  seen += 1;
  if (seen > 1) {
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ id: req.event.id, action: 'accept' }) + '\n');
});
