// Child process for shutdown.test.ts: registers closers, says "ready", waits
// for signals. Mode (argv[2]): clean | failing | hang | timeout.
import { createLogger } from '../../src/ops/logger.js';
import { Shutdown } from '../../src/ops/shutdown.js';

const mode = process.argv[2] ?? 'clean';
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const logger = createLogger({ destination: process.stderr, pretty: false, name: 'child' });
const shutdown = new Shutdown({ timeoutMs: mode === 'timeout' ? 200 : 5000, logger }).install();

shutdown.add('first', () => say('close first'));
shutdown.add('second', async () => {
  await new Promise((r) => setTimeout(r, 20));
  say('close second');
});
const removed = shutdown.add('removed', () => say('close removed'));
removed();
if (mode === 'failing') {
  shutdown.add('broken', () => {
    throw new Error('boom');
  });
}
if (mode === 'hang' || mode === 'timeout') {
  shutdown.add('hang', () => {
    say('hanging');
    return new Promise<void>(() => {});
  });
}
shutdown.add('third', () => say('close third'));

// Stands in for a server keeping the process alive.
setInterval(() => {}, 60_000);
say('ready');
