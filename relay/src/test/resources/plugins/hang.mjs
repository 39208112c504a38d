// Test write-policy plugin that reads every request and never answers (the relay's timeout must act).
import readline from 'node:readline';

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on('line', () => {});
setInterval(() => {}, 1 << 30);
