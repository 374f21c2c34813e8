import fc from 'fast-check';
import { childRunId, type RunCommand, type RunEvent } from '@baton/domain';
import { cmd, edge, foreachStep, step, workflow } from '@baton/domain/run/testing/fixtures';
import { Topics, type StepLogs } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import { PGliteSqlClient, type SqlClient } from '@baton/sql';
import { migrate, RunQueries } from '@baton/readmodel';
import { decodeBatch, projectBatch } from './project-batch';
import { historyOf, T0 } from './testing/run-histories';

// One in-memory PGlite for the file (initdb costs seconds); every case uses its own run ids.
jest.setTimeout(120_000);

let sql: SqlClient;
let queries: RunQueries;
let offset = 0;
let fresh = 0;

beforeAll(async () => {
  sql = await PGliteSqlClient.open();
  await migrate(sql);
  queries = new RunQueries(sql);
});

afterAll(async () => {
  await sql.close();
});

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** `each` over 0..2 (two at a time) -> `after`; each iteration runs `work`. */
const parentWorkflow = workflow(
  [foreachStep('each', { n: { range: { from: 0, to: 3, step: 1 } } }, { concurrency: 2 }), step('after')],
  [edge('each', 'after')],
);

/** An executor's report that also says the attempt's log tail was written first. */
function completeWithLogs(stepId: string, at: number): RunCommand {
  return { ...cmd.complete(stepId, 1, at), logsWritten: true };
}

interface Family {
  readonly parent: string;
  readonly children: readonly string[];
  /** One stream per partition-and-topic: each keeps its order, streams interleave freely. */
  readonly streams: readonly (readonly LogRecord[])[];
}

/** A parent run with three iterations; every executor step promises its log tail. */
function family(): Family {
  const parent = `settle-${fresh++}`;
  const children = [0, 1, 2].map((index) => childRunId(parent, 'each', 1, index));
  const childHistories = children.map((runId, index) =>
    historyOf(runId, [
      cmd.startWith(workflow([step('work')]), {
        parent: { runId: parent, stepId: 'each', attempt: 1, index, depth: 1, notify: true },
      }),
      cmd.started('work', 1, 10),
      completeWithLogs('work', 20),
    ]),
  );
  const parentHistory = historyOf(parent, [
    cmd.start(parentWorkflow, {}, 0),
    ...children.map((childId, index) => ({
      ...cmd.childFinished('each', 1, index, 'succeeded', 100 + index),
      childRunId: childId,
    })),
    cmd.started('after', 1, 200),
    completeWithLogs('after', 300),
  ]);
  return {
    parent,
    children,
    streams: [
      events(parentHistory),
      ...childHistories.map(events),
      [...children.map((runId) => logs(runId, 'work')), logs(parent, 'after')],
    ],
  };
}

function events(history: readonly RunEvent[]): LogRecord[] {
  return history.map((event) => record(Topics.runEvents, event.runId, event));
}

function logs(runId: string, stepId: string, stdout = `${stepId} printed this\n`): LogRecord {
  const value: StepLogs = {
    schemaVersion: 1,
    runId,
    stepId,
    attempt: 1,
    stdout,
    stderr: '',
    truncatedBytes: { stdout: 0, stderr: 0 },
  };
  return record(Topics.stepLogs, runId, value);
}

function record(topic: string, key: string, value: object): LogRecord {
  offset += 1;
  return {
    topic,
    partition: 0,
    offset,
    key,
    value: JSON.stringify(value),
    headers: {},
    timestamp: T0 + offset,
  };
}

async function project(records: readonly LogRecord[]): Promise<void> {
  const decoded = decodeBatch(records, T0);
  expect(decoded.deadLetters).toEqual([]);
  await projectBatch(sql, decoded);
}

async function statusOf(runId: string): Promise<string | undefined> {
  return (await queries.getRun(runId))?.status;
}

async function hasLogs(runId: string, stepId: string): Promise<boolean> {
  const rows = await sql.query(`SELECT 1 FROM step_logs WHERE run_id = $1 AND step_id = $2`, [runId, stepId]);
  return rows.length > 0;
}

/** What a client reading right after "terminal" must find. */
async function expectCompleteWhenTerminal({ parent, children }: Family): Promise<void> {
  for (const child of children) {
    if (TERMINAL.includes((await statusOf(child)) ?? '')) expect(await hasLogs(child, 'work')).toBe(true);
  }
  if (!TERMINAL.includes((await statusOf(parent)) ?? '')) return;
  expect(await hasLogs(parent, 'after')).toBe(true);
  for (const child of children) expect(await statusOf(child)).toBe('succeeded');
}

describe('a run is shown terminal only once what its end implies is readable', () => {
  it('holds a parent back until its children and its promised log tail are in, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 40 }),
        async (schedule) => {
          const fam = family();
          const queues = fam.streams.map((stream) => [...stream]);
          const step = async (pick: number, size: number) => {
            const open = queues.filter((q) => q.length > 0);
            if (open.length === 0) return;
            await project(open[pick % open.length].splice(0, size));
            await expectCompleteWhenTerminal(fam);
          };
          for (const [pick, size] of schedule) await step(pick, size);
          while (queues.some((q) => q.length > 0)) await step(0, 3);

          const run = await queries.getRun(fam.parent);
          expect(run).toMatchObject({ status: 'succeeded', endedAt: T0 + 300 });
          const rest = await sql.query(`SELECT 1 FROM run_awaits WHERE run_id = ANY($1::text[])`, [
            [fam.parent, ...fam.children],
          ]);
          expect(rest).toEqual([]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('shows the run running, with its end time, meanwhile: nothing of the terminal event leaks early', async () => {
    const fam = family();
    const [parentEvents, ...rest] = fam.streams;
    await project(parentEvents);
    expect(await queries.getRun(fam.parent)).toMatchObject({
      status: 'running',
      endedAt: null,
      failure: null,
    });
    for (const stream of rest) await project(stream);
    expect(await queries.getRun(fam.parent)).toMatchObject({ status: 'succeeded', endedAt: T0 + 300 });
  });

  it('does not wait for a child whose start was refused (it never has a row)', async () => {
    const parent = `settle-refused-${fresh++}`;
    const child = childRunId(parent, 'each', 1, 0);
    const refused = historyOf(child, [cmd.childFinished('each', 1, 0, 'succeeded', 5)]); // no such run
    expect(refused.map((e) => e.type)).toEqual(['CommandRejected']);
    const history = historyOf(parent, [
      cmd.start(workflow([foreachStep('each', { n: { range: { from: 0, to: 1, step: 1 } } })]), {}, 0),
      { ...cmd.childFinished('each', 1, 0, 'failed', 100), childRunId: child },
    ]);
    expect(history[history.length - 1].type).toBe('RunFailed');

    await project(events(history));
    expect(await statusOf(parent)).toBe('running');
    await project(events(refused));
    expect(await statusOf(parent)).toBe('failed');
  });

  it('does not wait for a child that never started (its workflow is unknown: no event of it ever comes)', async () => {
    const parent = `settle-never-${fresh++}`;
    const child = childRunId(parent, 'each', 1, 0);
    const history = historyOf(parent, [
      cmd.start(workflow([foreachStep('each', { n: { range: { from: 0, to: 1, step: 1 } } })]), {}, 0),
      { ...cmd.childFinished('each', 1, 0, 'failed', 100), childRunId: child, neverStarted: true },
    ]);
    expect(history.find((e) => e.type === 'ChildRunEnded')).toMatchObject({ neverStarted: true });
    expect(history[history.length - 1].type).toBe('RunFailed');

    await project(events(history));
    expect(await statusOf(parent)).toBe('failed');
  });

  it('stores a log tail holding U+0000, so a run waiting for it ends', async () => {
    const runId = `settle-nul-${fresh++}`;
    const history = historyOf(runId, [
      cmd.start(workflow([step('dump')]), {}, 0),
      cmd.started('dump', 1, 10),
      completeWithLogs('dump', 20),
    ]);
    await project(events(history));
    await project([logs(runId, 'dump', 'binary\u0000garbage')]);
    expect(await statusOf(runId)).toBe('succeeded');
    const [row] = await sql.query<{ stdout_tail: string }>(
      `SELECT stdout_tail FROM step_logs WHERE run_id = $1`,
      [runId],
    );
    expect(row.stdout_tail).toBe('binary\uFFFDgarbage');
  });
});
