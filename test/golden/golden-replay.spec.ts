import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { Topics, type Decoded } from '@baton/contracts';
import {
  evolve,
  evolveWorkflowQueue,
  initialState,
  initialWorkflowQueueState,
  type RunState,
  type WorkflowQueueState,
} from '@baton/domain';
import type { LogRecord } from '@baton/eventlog';
import { statusCloudEvent } from '@baton/contracts';
import { decodeBatch, projectBatch } from '@baton/projector/project-batch';
import { decodeRunEvent } from '@baton/projector/record-codec';
import { decodeWorkflowEvent } from '@baton/projector/workflow-queue/workflow-event.codec';
import { projectWorkflowEventRecords } from '@baton/projector/workflow-queue/project-workflow-events';
import { dumpRunTables, dumpWorkflowQueueTables } from '@baton/projector/testing/read-model-dump';
import { migrate } from '@baton/readmodel';
import { PGliteSqlClient, type SqlClient } from '@baton/sql';
import { EXPECTED_DIR, historyNames, readHistory, recordOf, type HistoryLine } from './support/history';

// Golden histories (test/golden/README.md): every recorded history is
// replayed through the run and workflow-queue evolve (final states), the
// projectors (read-model rows, in PGlite) and the status-event mapper, and
// compared with the committed expected files. A change in semantics shows as
// a diff here; `npm run golden:update` rewrites the expected files on purpose.
// Nothing here reads a clock or a random source: the history is the input.

jest.setTimeout(60_000);

const UPDATE = process.env.BATON_GOLDEN_UPDATE === '1';
/** The CloudEvents `source` of the replayed status events. */
const SOURCE = 'baton/golden';

let sql: SqlClient;

beforeAll(async () => {
  sql = await PGliteSqlClient.open();
  await migrate(sql);
});

afterAll(async () => {
  await sql.close();
});

describe.each(historyNames())('golden history %s', (name) => {
  const history = readHistory(name);
  // Decoded as the projector decodes them: older schema versions come out upcast (docs/events.md).
  const runEvents = decodedOf(history, Topics.runEvents, decodeRunEvent);

  it('folds to the recorded final states', () => {
    const runs: Record<string, RunState> = {};
    for (const event of runEvents) runs[event.runId] = evolve(runs[event.runId] ?? initialState(), event);
    const queues: Record<string, WorkflowQueueState> = {};
    for (const event of decodedOf(history, Topics.workflowEvents, decodeWorkflowEvent)) {
      queues[event.workflowId] = evolveWorkflowQueue(
        queues[event.workflowId] ?? initialWorkflowQueueState(),
        event,
      );
    }
    expectGolden(name, 'state', { runs, workflowQueues: queues });
  });

  it('projects to the recorded read-model rows', async () => {
    const records = history.map(recordOf);
    const runRecords = records.filter((r) => r.topic === Topics.runEvents || r.topic === Topics.stepLogs);
    // `now` only stamps dead letters, and there must be none.
    const decoded = decodeBatch(runRecords, 0);
    expect(decoded.deadLetters).toEqual([]);
    await projectBatch(sql, decoded);
    const queueRecords = records.filter((r) => r.topic === Topics.workflowEvents);
    const queued = await projectWorkflowEventRecords(sql, queueRecords, 0);
    expect(queued.deadLetters).toEqual([]);

    const runIds = [...new Set(runEvents.map((event) => event.runId))];
    const workflowIds = [...new Set(queueRecords.map((r) => r.key))];
    expectGolden(name, 'read-model', {
      ...(await dumpRunTables(sql, runIds)),
      ...(await dumpWorkflowQueueTables(sql, workflowIds)),
    });
  });

  it('maps to the recorded status events', () => {
    const definitions = new Map<string, { id: string; version: number }>();
    const statusEvents = runEvents.flatMap((event) => {
      if (event.type === 'RunStarted') definitions.set(event.runId, event.definition);
      const definition = definitions.get(event.runId);
      if (definition === undefined) throw new Error(`${event.type} of ${event.runId} before its RunStarted`);
      const cloudEvent = statusCloudEvent(event, definition, SOURCE);
      return cloudEvent === null ? [] : [cloudEvent];
    });
    expectGolden(name, 'status-events', statusEvents);
  });
});

/** One topic's records decoded, in history order (each key's records in log order); a record that does not decode fails. */
function decodedOf<T>(
  history: readonly HistoryLine[],
  topic: string,
  decode: (record: LogRecord) => Decoded<T>,
): T[] {
  return history
    .filter((line) => line.topic === topic)
    .map((line) => {
      const decoded = decode(recordOf(line));
      if (!decoded.ok) throw new Error(`${topic}@${line.partition}:${line.offset}: ${decoded.reason}`);
      return decoded.value;
    });
}

/**
 * Compares `actual` (as pretty JSON) with `expected/<name>.<kind>.json`,
 * failing with a unified diff; with BATON_GOLDEN_UPDATE=1 it writes the file.
 */
function expectGolden(name: string, kind: string, actual: unknown): void {
  const file = join(EXPECTED_DIR, `${name}.${kind}.json`);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (UPDATE) {
    mkdirSync(EXPECTED_DIR, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run golden:update\` and commit it`);
  const expected = readFileSync(file, 'utf8');
  if (text === expected) return;
  const patch = createTwoFilesPatch(`expected/${name}.${kind}.json`, 'replayed', expected, text, '', '', {
    context: 3,
  });
  throw new Error(
    `golden ${name} ${kind} differs from the committed file (if the change is intended: ` +
      `npm run golden:update, review and commit the diff):\n${patch}`,
  );
}
