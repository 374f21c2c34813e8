import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LogRecord } from '../event-log.port';
import { EmbeddedEventLog } from './embedded-event-log';
import { trimStep } from './retention';

const CHILD = path.join(__dirname, 'testing', 'crash-child.js');
const PARTITIONS = 4;
const KILLS = 5;
/** As in crash-child.js. */
const RETAIN_RECORDS = 10;

/** Reproduce a failure with `CRASH_SEED=<seed> npx jest embedded-crash`. */
const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe(`EmbeddedEventLog under SIGKILL, with retention trimming (seed ${seed})`, () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-crash-'));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`loses no acknowledged record and no transition, repeats none, and trims only what both groups committed, across ${KILLS} kills`, async () => {
    const random = mulberry32(seed);
    const acknowledged = new Set<string>();
    const committedSeen = new Array<number>(PARTITIONS).fill(0);
    /** partition -> output offset -> value, as the auditors read them. */
    const outputs = Array.from({ length: PARTITIONS }, () => new Map<number, string>());

    for (let kill = 1; kill <= KILLS; kill += 1) {
      const child = new Child(dir, ['run', String(kill)]);
      await child.waitFor('READY', 20_000);
      const delayMs = 150 + Math.floor(random() * 850);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await child.kill();

      for (const value of child.acknowledged) acknowledged.add(value);
      mergeOutputs(outputs, child.outputs);
      expect(child.backwardCommits).toEqual([]);
      // After a restart each partition resumes exactly at its committed offset: nothing committed is redone.
      child.firstCommitted.forEach((first, partition) => expect(first).toBe(committedSeen[partition] + 1));
      await withLog(dir, async (log) => {
        // Every acknowledged input is still in the log, or was processed into an output.
        const seen = new Set([...(await values(log, 'input')), ...inputsOf(await values(log, 'output'))]);
        for (const partition of outputs) for (const value of inputsOf(partition.values())) seen.add(value);
        const missing = [...acknowledged].filter((value) => !seen.has(value));
        expect({ kill, seed, missing }).toEqual({ kill, seed, missing: [] });
        for (let partition = 0; partition < PARTITIONS; partition += 1) {
          // What the child saw committed is durable, and nothing moved backwards since the last look.
          const committed = log.committedOffset('processor', 'input', partition) ?? 0;
          expect(committed).toBeGreaterThanOrEqual(child.lastCommitted[partition] ?? 0);
          expect(committed).toBeGreaterThanOrEqual(committedSeen[partition]);
          committedSeen[partition] = committed;
          // Retention kept everything a group has not committed, across the kill and the replay.
          expect(log.logOffsets('input', partition).start).toBeLessThanOrEqual(committed);
          expect(log.logOffsets('output', partition).start).toBeLessThanOrEqual(
            log.committedOffset('auditor', 'output', partition) ?? 0,
          );
        }
      });
    }

    const drain = new Child(dir, ['drain']);
    await drain.waitFor('DONE', 30_000);
    await drain.exited;
    expect(drain.backwardCommits).toEqual([]);
    mergeOutputs(outputs, drain.outputs);

    await withLog(dir, async (log) => {
      const sources = new Map<string, number>();
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        // The auditors read every output ever written: none was trimmed before they committed it.
        const { start, end } = log.logOffsets('output', partition);
        expect([...outputs[partition].keys()].sort((a, b) => a - b)).toEqual(range(0, end));
        for (const value of outputs[partition].values()) {
          const source = value.split(':').slice(0, 2).join(':');
          sources.set(source, (sources.get(source) ?? 0) + 1);
        }
        // Both groups committed everything: each partition holds less than its tail plus one trim step.
        expect(end - start).toBeLessThan(RETAIN_RECORDS + trimStep(RETAIN_RECORDS));
        const input = log.logOffsets('input', partition);
        expect(input.end - input.start).toBeLessThan(RETAIN_RECORDS + trimStep(RETAIN_RECORDS));
        expect((await records(log, 'input', partition)).map((record) => record.offset)).toEqual(
          range(input.start, input.end),
        );
      }
      // Every input offset ever written became exactly one output.
      const expected = [];
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        for (const offset of range(0, log.logOffsets('input', partition).end))
          expected.push(`${partition}:${offset}`);
      }
      const wrong = expected.filter((source) => sources.get(source) !== 1);
      expect({ seed, wrong }).toEqual({ seed, wrong: [] });
      expect(sources.size).toBe(expected.length);
      const processed = new Set(inputsOf(outputs.flatMap((partition) => [...partition.values()])));
      expect([...acknowledged].filter((value) => !processed.has(value))).toEqual([]);
      expect(acknowledged.size).toBeGreaterThan(KILLS * 10);
      // Retention did trim: far more was written than is held.
      expect(expected.length).toBeGreaterThan(PARTITIONS * (RETAIN_RECORDS + trimStep(RETAIN_RECORDS)));
    });
  }, 120_000);
});

/** A crash-child process and what it reported on stdout. */
class Child {
  readonly acknowledged: string[] = [];
  readonly firstCommitted: number[] = [];
  readonly lastCommitted: number[] = [];
  readonly backwardCommits: string[] = [];
  /** partition -> output offset -> value. */
  readonly outputs: Array<Map<number, string>> = Array.from({ length: PARTITIONS }, () => new Map());
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
    const [kind, first, second, third] = line.split(' ');
    if (kind === 'A') this.acknowledged.push(first);
    else if (kind === 'O') this.outputs[Number(first)].set(Number(second), third);
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

async function records(log: EmbeddedEventLog, topic: string, partition: number): Promise<LogRecord[]> {
  const all = [];
  for await (const record of log.readPartition(topic, partition)) all.push(record);
  return all;
}

async function values(log: EmbeddedEventLog, topic: string): Promise<string[]> {
  const all: string[] = [];
  for (let partition = 0; partition < PARTITIONS; partition += 1) {
    for (const record of await records(log, topic, partition)) all.push(String(record.value));
  }
  return all;
}

/** The input values carried by outputs (`<partition>:<offset>:<input value>`). */
function inputsOf(outputs: Iterable<string>): string[] {
  return [...outputs].map((output) => output.split(':').slice(2).join(':'));
}

/** Adds what one child's auditor read; an output read twice (killed before its commit) must read the same. */
function mergeOutputs(into: Array<Map<number, string>>, from: Array<Map<number, string>>): void {
  from.forEach((partition, index) => {
    for (const [offset, value] of partition) {
      expect(into[index].get(offset) ?? value).toBe(value);
      into[index].set(offset, value);
    }
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, index) => from + index);
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
