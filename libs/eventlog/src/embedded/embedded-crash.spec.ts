import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedEventLog } from './embedded-event-log';

const CHILD = path.join(__dirname, 'testing', 'crash-child.js');
const PARTITIONS = 4;
const KILLS = 5;

/** Reproduce a failure with `CRASH_SEED=<seed> npx jest embedded-crash`. */
const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe(`EmbeddedEventLog under SIGKILL (seed ${seed})`, () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-crash-'));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`loses no acknowledged record and no transition, and repeats none, across ${KILLS} kills`, async () => {
    const random = mulberry32(seed);
    const acknowledged = new Set<string>();
    const committedSeen = new Array<number>(PARTITIONS).fill(0);

    for (let kill = 1; kill <= KILLS; kill += 1) {
      const child = new Child(dir, ['run', String(kill)]);
      await child.waitFor('READY', 20_000);
      const delayMs = 150 + Math.floor(random() * 850);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await child.kill();

      for (const value of child.acknowledged) acknowledged.add(value);
      expect(child.backwardCommits).toEqual([]);
      // After a restart each partition resumes exactly at its committed offset: nothing committed is redone.
      child.firstCommitted.forEach((first, partition) => expect(first).toBe(committedSeen[partition] + 1));
      // What the child saw committed is durable, and nothing moved backwards since the last look.
      await withLog(dir, async (log) => {
        const input = await values(log, 'input');
        const missing = [...acknowledged].filter((value) => !input.has(value));
        expect({ kill, seed, missing }).toEqual({ kill, seed, missing: [] });
        for (let partition = 0; partition < PARTITIONS; partition += 1) {
          const committed = log.committedOffset('processor', 'input', partition) ?? 0;
          expect(committed).toBeGreaterThanOrEqual(child.lastCommitted[partition] ?? 0);
          expect(committed).toBeGreaterThanOrEqual(committedSeen[partition]);
          committedSeen[partition] = committed;
        }
      });
    }

    const drain = new Child(dir, ['drain']);
    await drain.waitFor('DONE', 30_000);
    await drain.exited;
    expect(drain.backwardCommits).toEqual([]);

    await withLog(dir, async (log) => {
      const inputs = await records(log, 'input');
      const inputValues = new Set(inputs.map((record) => record.value));
      expect([...acknowledged].filter((value) => !inputValues.has(value))).toEqual([]);

      const outputs = new Map<string, number>();
      for (const record of await records(log, 'output')) {
        outputs.set(String(record.value), (outputs.get(String(record.value)) ?? 0) + 1);
      }
      const expected = inputs.map((record) => `${record.partition}:${record.offset}`);
      const wrong = expected.filter((source) => outputs.get(source) !== 1);
      expect({ seed, wrong }).toEqual({ seed, wrong: [] });
      expect(outputs.size).toBe(expected.length);
      expect(acknowledged.size).toBeGreaterThan(KILLS * 10);
    });
  }, 120_000);
});

/** A crash-child process and what it reported on stdout. */
class Child {
  readonly acknowledged: string[] = [];
  readonly firstCommitted: number[] = [];
  readonly lastCommitted: number[] = [];
  readonly backwardCommits: string[] = [];
  readonly exited: Promise<void>;
  private readonly process: ChildProcess;
  private readonly lines: string[] = [];
  private stderr = '';

  constructor(dir: string, args: readonly string[]) {
    this.process = spawn(process.execPath, [CHILD, dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    this.process.stdout?.on('data', (chunk: Buffer) => {
      const text = pending + chunk.toString('utf8');
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.onLine(line);
    });
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.process.on('exit', () => resolve()));
  }

  async waitFor(line: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.includes(line)) {
      if (Date.now() > deadline || this.process.exitCode !== null) {
        throw new Error(`crash child did not print ${line} (exit ${this.process.exitCode}): ${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async kill(): Promise<void> {
    this.process.kill('SIGKILL');
    await this.exited;
  }

  private onLine(line: string): void {
    const [kind, first, second] = line.split(' ');
    if (kind === 'A') this.acknowledged.push(first);
    else if (kind === 'C') {
      const partition = Number(first);
      const offset = Number(second);
      if (offset <= (this.lastCommitted[partition] ?? 0)) {
        this.backwardCommits.push(`${partition}: ${offset} after ${this.lastCommitted[partition]}`);
      }
      this.firstCommitted[partition] ??= offset;
      this.lastCommitted[partition] = offset;
    } else this.lines.push(line);
  }
}

async function withLog(dir: string, check: (log: EmbeddedEventLog) => Promise<void>): Promise<void> {
  const log = await EmbeddedEventLog.open({ dir, onWarning: () => undefined });
  try {
    await check(log);
  } finally {
    await log.close();
  }
}

async function records(log: EmbeddedEventLog, topic: string) {
  const all = [];
  for (let partition = 0; partition < PARTITIONS; partition += 1) {
    for await (const record of log.readPartition(topic, partition)) all.push(record);
  }
  return all;
}

async function values(log: EmbeddedEventLog, topic: string): Promise<Set<string | null>> {
  return new Set((await records(log, topic)).map((record) => record.value));
}

/** A small seeded PRNG (uniform in [0, 1)), so a failing run's kill timings can be replayed. */
function mulberry32(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
