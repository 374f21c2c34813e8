import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Consumer } from '../event-log.port';
import { ConsumerJournal } from '../testing/consumer-journal';
import { waitUntil } from '../testing/wait-until';
import { EmbeddedEventLog } from './embedded-event-log';

type Step = { kind: 'join' } | { kind: 'leave'; which: number } | { kind: 'send'; count: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'join' }),
  fc.nat(5).map<Step>((which) => ({ kind: 'leave', which })),
  fc.integer({ min: 1, max: 30 }).map<Step>((count) => ({ kind: 'send', count })),
);

describe('embedded consumer groups under random joins and leaves', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('process every record, never deliver a committed one again, and never let two members own a partition', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 12 }), async (steps) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-group-'));
        dirs.push(dir);
        const log = await EmbeddedEventLog.open({ dir, onWarning: () => undefined });
        try {
          await log.ensureTopics([{ name: 'commands', partitions: 5 }]);
          const producer = await log.producer();
          const journal = new ConsumerJournal();
          const committed = new Map<number, number>();
          const processed = new Set<string>();
          const violations: string[] = [];
          const inFlight = new Set<number>();
          let deliveries = 0;
          const active: Consumer[] = [];
          let sent = 0;
          let members = 0;

          const join = async () => {
            const name = `m${members++}`;
            const consumer: Consumer = log.consumer({
              groupId: 'engine',
              topics: ['commands'],
              ...journal.hooks(name),
              eachBatch: async (batch) => {
                journal.batch(name, batch);
                const first = batch.records[0].offset;
                if (first < (committed.get(batch.partition) ?? 0)) {
                  violations.push(`${name} ${batch.partition}@${first}`);
                }
                if (inFlight.has(batch.partition))
                  violations.push(`${name}: two batches of ${batch.partition} at once`);
                inFlight.add(batch.partition);
                deliveries += batch.records.length;
                await new Promise((resolve) => setImmediate(resolve));
                const next = batch.records[batch.records.length - 1].offset + 1;
                await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: next }]);
                committed.set(batch.partition, next);
                inFlight.delete(batch.partition);
                for (const record of batch.records) processed.add(`${record.partition}@${record.offset}`);
              },
            });
            active.push(consumer);
            await consumer.start();
          };

          for (const current of steps) {
            if (current.kind === 'join') await join();
            else if (current.kind === 'leave' && active.length > 0) {
              await active.splice(current.which % active.length, 1)[0].stop();
            } else if (current.kind === 'send') {
              const records = Array.from({ length: current.count }, () => ({
                topic: 'commands',
                key: `run-${sent}`,
                value: `${sent++}`,
              }));
              await producer.send(records);
            }
          }
          if (active.length === 0) await join();
          await waitUntil(() => processed.size === sent, {
            timeoutMs: 5_000,
            message: `${sent} records processed`,
            describe: () => `${processed.size}`,
          });

          expect(violations).toEqual([]);
          // Every batch commits and no handler fails, so the embedded log delivers each record exactly once.
          expect(deliveries).toBe(sent);
          expect(journal.problems()).toEqual([]);
          expect(overlaps(journal)).toEqual([]);
        } finally {
          await log.close();
        }
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});

/** Moments where two members both held a partition between their onAssigned and onRevoked. */
function overlaps(journal: ConsumerJournal): string[] {
  const holder = new Map<string, string>();
  const problems: string[] = [];
  journal.entries.forEach((entry, index) => {
    if (entry.kind === 'batch') return;
    for (const { topic, partition } of entry.partitions) {
      const key = `${topic}/${partition}`;
      if (entry.kind === 'revoked') {
        if (holder.get(key) === entry.member) holder.delete(key);
      } else {
        const other = holder.get(key);
        if (other && other !== entry.member)
          problems.push(`#${index}: ${entry.member} got ${key} held by ${other}`);
        holder.set(key, entry.member);
      }
    }
  });
  return problems;
}
