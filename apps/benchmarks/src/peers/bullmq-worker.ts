import { QUEUE, connection, type BullMq } from './bullmq-types';
import { requirePeer } from './peer-modules';

/**
 * The benchmark's BullMQ worker (its own process): every job is a noop.
 * Usage: node bullmq-worker.js ROOT REDIS_PORT CONCURRENCY
 */
const [root, port, concurrency] = process.argv.slice(2);
const { Worker } = requirePeer<BullMq>(root, 'bullmq');
const worker = new Worker(QUEUE, async () => ({}), {
  connection: connection(Number(port)),
  concurrency: Number(concurrency),
});
worker.waitUntilReady().then(
  () => process.stdout.write('listening\n'),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
