import { join } from 'node:path';
import { Topics } from '@baton/contracts';
import { EmbeddedEventLog, type LogRecord } from '@baton/eventlog';
import { BatonApi } from '../e2e/support/api-client';
import { freePort, tempDir } from '../e2e/support/env';
import { ProcessGroup, type BatonProcess } from '../e2e/support/processes';
import { lineOf, writeHistory, type HistoryLine } from './support/history';
import { GOLDEN_SCENARIOS, workflowOf, type GoldenScenario } from './support/scenarios';

// `npm run golden:record`: runs every golden scenario on the real all-in-one
// (built, embedded log, no servers), stops it, reads its log offline and
// writes one history per scenario to test/golden/histories/. Not part of the
// test run: re-record on purpose, then `npm run golden:update` and review
// both diffs (see test/golden/README.md).

jest.setTimeout(600_000);

/** The topics a history keeps, in this order (each partition in offset order). */
const RECORDED_TOPICS = [Topics.runEvents, Topics.stepLogs, Topics.workflowEvents, Topics.signals] as const;

describe('golden histories', () => {
  const dir = tempDir('golden');
  const dataDir = join(dir.path, 'data');
  const group = new ProcessGroup(dir.path);
  let baton: BatonProcess;

  beforeAll(async () => {
    baton = group.add({
      name: 'baton',
      app: 'baton',
      port: await freePort(),
      env: { BATON_DATA_DIR: dataDir, BATON_EXAMPLES_DIR: '', BATON_LEASE_MS: '3000' },
    });
    await baton.start();
  });

  afterAll(async () => {
    await group.stopAll();
    dir.remove();
  });

  it('records every scenario', async () => {
    const api = new BatonApi(baton.url);
    for (const scenario of GOLDEN_SCENARIOS) {
      for (const entry of scenario.workflows) await api.push(workflowOf(entry).yaml);
      await group.guard(() => scenario.drive(api));
    }
    await baton.stop();

    const log = await EmbeddedEventLog.open({ dir: join(dataDir, 'log') });
    try {
      const records = await readTopics(log);
      for (const scenario of GOLDEN_SCENARIOS) {
        const lines = historyOf(scenario, records);
        writeHistory(scenario.name, lines);
        console.log(`golden ${scenario.name}: ${lines.length} records`);
      }
    } finally {
      await log.close();
    }
  });
});

async function readTopics(log: EmbeddedEventLog): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for (const topic of RECORDED_TOPICS) {
    const partitions = await log.partitionCount(topic);
    for (let partition = 0; partition < partitions; partition++) {
      for await (const record of log.readPartition(topic, partition)) records.push(record);
    }
  }
  return records;
}

/**
 * A scenario's records: the runs of its workflows and their child runs
 * (found by `parent` links), their logs, its workflows' queue events and its
 * signals.
 */
function historyOf(scenario: GoldenScenario, records: readonly LogRecord[]): HistoryLine[] {
  const workflows = new Set(scenario.workflows.map((entry) => workflowOf(entry).id));
  const signals = new Set(scenario.signals ?? []);
  const starts: { runId: string; workflowId: string; parentRunId: string | null }[] = [];
  for (const record of records) {
    if (record.topic !== Topics.runEvents || record.value === null) continue;
    const event = JSON.parse(record.value) as {
      type: string;
      runId: string;
      definition: { id: string };
      parent?: { runId: string } | null;
    };
    if (event.type === 'RunStarted') {
      starts.push({
        runId: event.runId,
        workflowId: event.definition.id,
        parentRunId: event.parent?.runId ?? null,
      });
    }
  }
  // Runs of the scenario's workflows, then their descendants (a child may sit on any partition).
  const runs = new Set(starts.filter((s) => workflows.has(s.workflowId)).map((s) => s.runId));
  for (let grown = true; grown;) {
    grown = false;
    for (const start of starts) {
      if (!runs.has(start.runId) && start.parentRunId !== null && runs.has(start.parentRunId)) {
        runs.add(start.runId);
        grown = true;
      }
    }
  }
  const belongs = (record: LogRecord): boolean => {
    switch (record.topic) {
      case Topics.runEvents:
      case Topics.stepLogs:
        return runs.has(record.key);
      case Topics.workflowEvents:
        return workflows.has(record.key);
      case Topics.signals:
        return signals.has(record.key);
      default:
        return false;
    }
  };
  return records.filter(belongs).map(lineOf);
}
