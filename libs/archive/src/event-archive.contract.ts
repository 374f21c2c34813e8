import { randomUUID } from 'node:crypto';
import {
  ArchiveConflictError,
  type ArchiveEvent,
  type ArchivedEvent,
  type EventArchive,
  type StreamAppend,
} from './event-archive.port';
import { archiveEvent } from './stream-append';

/**
 * The archive's contract: every adapter passes this suite (PGlite in
 * `*.spec.ts`, PostgreSQL in `*.int.spec.ts`, EventStoreDB in `*.esdb.spec.ts`).
 *
 * The archive may be shared with other runs of the suite (an EventStoreDB
 * server keeps everything): each suite run uses run ids of its own, and
 * `readAll` results are narrowed to them.
 */
export interface ArchiveHarness {
  /** An archive ready to use (migrated). The suite closes it. */
  open(): Promise<EventArchive>;
  /** Drops whatever `open` created (a database); optional. */
  dispose?(): Promise<void>;
}

const T0 = Date.UTC(2026, 10, 24, 12);

export function describeEventArchiveContract(name: string, harness: ArchiveHarness): void {
  describe(`EventArchive contract: ${name}`, () => {
    let archive: EventArchive;
    const suite = randomUUID().slice(0, 8);
    let counter = 0;
    /** A run id no other test (or earlier suite run) uses. */
    const newRun = (label: string) => `${label}-${suite}-${++counter}`;
    const mine = (event: ArchivedEvent) => event.runId.includes(`-${suite}-`);

    beforeAll(async () => {
      archive = await harness.open();
    });

    afterAll(async () => {
      await archive?.close();
      await harness.dispose?.();
    });

    async function stream(runId: string, fromSeq?: number): Promise<ArchivedEvent[]> {
      const events: ArchivedEvent[] = [];
      for await (const event of archive.readStream(runId, fromSeq === undefined ? {} : { fromSeq })) {
        events.push(event);
      }
      return events;
    }

    async function all(after?: string): Promise<ArchivedEvent[]> {
      const events: ArchivedEvent[] = [];
      for await (const event of archive.readAll(after === undefined ? {} : { after })) {
        if (mine(event)) events.push(event);
      }
      return events;
    }

    const append = (runId: string, expectedRevision: number, events: ArchiveEvent[]): StreamAppend => ({
      runId,
      expectedRevision,
      events,
    });

    const ids = (events: readonly ArchiveEvent[]) => events.map((e) => `${e.runId}#${e.seq}`);
    const envelopes = (events: readonly ArchivedEvent[]) =>
      events.map(({ position: _position, ...event }) => event);

    it('appends a new stream and reads it back in seq order, exactly as appended', async () => {
      const runId = newRun('new');
      const events = history(runId, 1, 3);
      const [result] = await archive.append([append(runId, 0, events)]);
      expect(result).toEqual({ runId, appended: 3, duplicates: 0, revision: 3 });

      const read = await stream(runId);
      expect(envelopes(read)).toEqual(events);
      expect(read.map((e) => JSON.parse(e.json))).toEqual(events.map((e) => JSON.parse(e.json)));
      expect(envelopes(await stream(runId, 2))).toEqual(events.slice(1));
      expect(await stream(newRun('unknown'))).toEqual([]);
    });

    it('appends after the expected revision of an existing stream', async () => {
      const runId = newRun('extend');
      await archive.append([append(runId, 0, history(runId, 1, 2))]);
      const [result] = await archive.append([append(runId, 2, history(runId, 3, 5))]);
      expect(result).toEqual({ runId, appended: 3, duplicates: 0, revision: 5 });
      expect((await stream(runId)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    });

    it('treats re-appending a whole batch as a no-op, not an error', async () => {
      const runId = newRun('again');
      const events = history(runId, 1, 3);
      await archive.append([append(runId, 0, events)]);
      const before = await stream(runId);

      const [result] = await archive.append([append(runId, 0, events)]);
      expect(result).toEqual({ runId, appended: 0, duplicates: 3, revision: 3 });
      expect(await stream(runId)).toEqual(before); // positions included: nothing was rewritten
    });

    it('writes only the new part of a batch that overlaps the stream', async () => {
      const runId = newRun('overlap');
      await archive.append([append(runId, 0, history(runId, 1, 3))]);
      const [result] = await archive.append([append(runId, 1, history(runId, 2, 5))]);
      expect(result).toEqual({ runId, appended: 2, duplicates: 2, revision: 5 });
      expect(envelopes(await stream(runId))).toEqual(history(runId, 1, 5));
    });

    it('refuses an append whose expected revision is beyond the stream (a gap), writing nothing', async () => {
      const runId = newRun('gap');
      await archive.append([append(runId, 0, history(runId, 1, 3))]);
      const refused = archive.append([append(runId, 5, history(runId, 6, 7))]);
      await expect(refused).rejects.toBeInstanceOf(ArchiveConflictError);
      await expect(refused).rejects.toMatchObject({
        runId,
        kind: 'gap',
        expectedRevision: 5,
        actualRevision: 3,
      });
      expect((await stream(runId)).map((e) => e.seq)).toEqual([1, 2, 3]);

      const fresh = newRun('gap-new');
      await expect(archive.append([append(fresh, 2, history(fresh, 3, 3))])).rejects.toMatchObject({
        kind: 'gap',
        actualRevision: 0,
      });
      expect(await stream(fresh)).toEqual([]);
    });

    it('refuses a different event under a seq the stream holds (a mismatch), writing nothing', async () => {
      const runId = newRun('mismatch');
      await archive.append([append(runId, 0, history(runId, 1, 3))]);
      const other = [event(runId, 3, 'RunCancelled'), event(runId, 4, 'RunCancelled')];
      await expect(archive.append([append(runId, 2, other)])).rejects.toMatchObject({
        runId,
        kind: 'mismatch',
        expectedRevision: 2,
        actualRevision: 3,
      });
      expect(envelopes(await stream(runId))).toEqual(history(runId, 1, 3));
    });

    it('refuses malformed appends before touching the store', async () => {
      const runId = newRun('malformed');
      await expect(archive.append([append(runId, 0, history(runId, 2, 3))])).rejects.toThrow(RangeError);
      await expect(archive.append([append(runId, 0, [])])).rejects.toThrow(RangeError);
      await expect(archive.append([append(runId, 0, history(newRun('other'), 1, 1))])).rejects.toThrow(
        RangeError,
      );
      expect(await stream(runId)).toEqual([]);
    });

    it('appends several streams in one call, each after its own revision', async () => {
      const [a, b, c] = [newRun('multi'), newRun('multi'), newRun('multi')];
      await archive.append([append(a, 0, history(a, 1, 2))]);
      const results = await archive.append([
        append(a, 2, history(a, 3, 3)),
        append(b, 0, history(b, 1, 4)),
        append(c, 0, history(c, 1, 1)),
      ]);
      expect(results).toEqual([
        { runId: a, appended: 1, duplicates: 0, revision: 3 },
        { runId: b, appended: 4, duplicates: 0, revision: 4 },
        { runId: c, appended: 1, duplicates: 0, revision: 1 },
      ]);
      expect((await stream(b)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    });

    it('reads everything in global (append) order, and from any position on', async () => {
      const [a, b] = [newRun('global'), newRun('global')];
      const calls: StreamAppend[][] = [
        [append(a, 0, history(a, 1, 2))],
        [append(b, 0, history(b, 1, 1))],
        [append(a, 2, history(a, 3, 3)), append(b, 1, history(b, 2, 3))],
        [append(a, 3, history(a, 4, 4))],
      ];
      for (const call of calls) await archive.append(call);
      const expected = calls.flat().flatMap((a) => a.events);

      const read = (await all()).filter((e) => e.runId === a || e.runId === b);
      expect(ids(read)).toEqual(ids(expected));
      expect(new Set(read.map((e) => e.position)).size).toBe(read.length);
      // A stream's events carry the same positions through readStream and readAll.
      expect(await stream(a)).toEqual(read.filter((e) => e.runId === a));

      for (const k of [0, 3, read.length - 1]) {
        const rest = (await all(read[k]!.position)).filter((e) => e.runId === a || e.runId === b);
        expect(ids(rest)).toEqual(ids(read.slice(k + 1)));
      }
    });

    it('keeps many interleaved runs apart, each complete and in seq order', async () => {
      const runs = Array.from({ length: 40 }, () => newRun('many'));
      const length = 10;
      const revision = new Map(runs.map((r) => [r, 0]));
      // Each call: a few events of many runs, as a partition of the log interleaves them.
      for (let round = 0; round < length / 2; round++) {
        const call = runs.map((runId, i) => {
          const from = revision.get(runId)! + 1;
          const to = Math.min(length, from + (i % 3));
          revision.set(runId, to);
          return append(runId, from - 1, history(runId, from, to));
        });
        await archive.append(call.filter((a) => a.events.length > 0));
      }
      for (const runId of runs) {
        const to = revision.get(runId)!;
        expect(envelopes(await stream(runId))).toEqual(history(runId, 1, to));
      }
      const read = (await all()).filter((e) => runs.includes(e.runId));
      expect(read.length).toBe([...revision.values()].reduce((sum, n) => sum + n, 0));
      for (const runId of runs) {
        const seqs = read.filter((e) => e.runId === runId).map((e) => e.seq);
        expect(seqs).toEqual(Array.from({ length: revision.get(runId)! }, (_, i) => i + 1));
      }
    });
  });
}

const TYPES = ['RunStarted', 'StepReady', 'StepStarted', 'StepSucceeded', 'RunSucceeded'];

/** A run event as the archive sees it (the archive reads the envelope only). */
function event(runId: string, seq: number, type = TYPES[(seq - 1) % TYPES.length]!): ArchiveEvent {
  const payload = { runId, seq, schemaVersion: 1, at: T0 + seq * 1_000, type, stepId: `step-${seq}` };
  return archiveEvent(payload, JSON.stringify(payload));
}

function history(runId: string, from: number, to: number): ArchiveEvent[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => event(runId, from + i));
}
