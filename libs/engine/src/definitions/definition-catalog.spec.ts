import { SILENT_LOGGER } from '@baton/observability/testing/silent-logger';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowCommand, WorkflowQueueState } from '@baton/domain/workflow-queue';
import { coreTopics } from '@baton/contracts';
import { EmbeddedEventLog } from '@baton/eventlog';
import { definitionFromYaml } from '../testing/engine-fixtures';
import { processWorkflowCommands } from '../workflow-queue/process-workflow-commands';
import { DefinitionCatalog } from './definition-catalog';
import { commandRecord, describeCatalogRace } from './testing/catalog-race.contract';

const layout = { runPartitions: 2, requestPartitions: 3 };
const quiet = SILENT_LOGGER;

let dir: string;
let log: EmbeddedEventLog;
/** The writer's states and clock, across `decide` calls of one test. */
let states: Map<string, WorkflowQueueState>;
let at: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-catalog-'));
  log = await EmbeddedEventLog.open({ dir });
  await log.ensureTopics(coreTopics(layout));
  states = new Map();
  at = 1_000;
});

afterEach(async () => {
  await log.close();
  rmSync(dir, { recursive: true, force: true });
});

const cron = { schedule: '0 2 * * *', timezone: 'UTC', params: {} };

/** The workflow writer's batches for `commands`, committed one transaction each, as the workflow queue does. */
async function decide(...commands: WorkflowCommand[]): Promise<void> {
  const tx = await log.transactionalProducer('catalog-spec');
  for (const command of commands) {
    const batch = processWorkflowCommands(states, [commandRecord(command)], (at += 1_000));
    for (const [id, state] of batch.changed) states.set(id, state);
    await tx.commit({ records: batch.records });
  }
  await tx.close();
}

let n = 0;
const meta = () => ({ commandId: `c${++n}`, at: 0 });
const push = (id: string, name: string, activate = true, triggers = false): WorkflowCommand => ({
  type: 'PushWorkflowVersion',
  workflowId: id,
  definition: {
    ...definitionFromYaml(`id: ${id}\nname: ${name}\nsteps:\n  - { id: a, type: noop }\n`),
    ...(triggers ? { triggers: { cron: [cron], signals: [] } } : {}),
  },
  source: name,
  activate,
  metadata: meta(),
});

describe('DefinitionCatalog', () => {
  it('resolves the active, the latest and a numbered version from the topic alone', async () => {
    await decide(push('etl', 'one'), push('etl', 'two', false), push('other', 'x'));
    const sut = new DefinitionCatalog(log, quiet, { topics: layout });
    await sut.catchUp();
    expect((await sut.getVersion('etl', 'active'))?.definition).toMatchObject({ name: 'one', version: 1 });
    expect((await sut.getVersion('etl', 'latest'))?.definition).toMatchObject({ name: 'two', version: 2 });
    expect((await sut.getVersion('etl', 2))?.version).toBe(2);
    expect(await sut.getVersion('etl', 3)).toBeNull();
    expect(await sut.getVersion('nowhere', 'active')).toBeNull();
    expect((await sut.getVersion('other', 'active'))?.version).toBe(1);
  });

  it('sees only what was committed before its last catch-up, and everything after the next', async () => {
    const sut = new DefinitionCatalog(log, quiet, { topics: layout });
    await sut.catchUp();
    await decide(push('late', 'one'));
    expect(await sut.getVersion('late', 'active')).toBeNull();
    await sut.catchUp();
    expect((await sut.getVersion('late', 'active'))?.version).toBe(1);
  });

  it('has no active version once deactivated; a named version still resolves', async () => {
    await decide(push('off', 'one'), { type: 'DeactivateWorkflow', workflowId: 'off', metadata: meta() });
    const sut = new DefinitionCatalog(log, quiet, { topics: layout });
    await sut.catchUp();
    expect(await sut.getVersion('off', 'active')).toBeNull();
    expect((await sut.getVersion('off', 1))?.version).toBe(1);
  });

  it("lists the active versions' triggers with the time of the workflow's last push or activation", async () => {
    await decide(
      push('cronned', 'one', true, true),
      push('cronned', 'two', false),
      push('plain', 'p'),
      push('paused', 'q', true, true),
      { type: 'DeactivateWorkflow', workflowId: 'paused', metadata: meta() },
    );
    const sut = new DefinitionCatalog(log, quiet, { topics: layout });
    expect(await sut.activeTriggers()).toEqual([
      { workflowId: 'cronned', version: 1, triggers: { cron: [cron], signals: [] }, updatedAt: 3_000 },
    ]);
    await decide({ type: 'ActivateWorkflowVersion', workflowId: 'cronned', version: 2, metadata: meta() });
    expect(await sut.activeTriggers()).toEqual([]);
  });

  it('a catalog started later reads the same from the compacted topic', async () => {
    await decide(push('etl', 'one'), push('etl', 'two'));
    const first = new DefinitionCatalog(log, quiet, { topics: layout });
    const second = new DefinitionCatalog(log, quiet, { topics: layout });
    await first.catchUp();
    await second.catchUp();
    expect(await second.getVersion('etl', 'active')).toEqual(await first.getVersion('etl', 'active'));
    expect((await second.getVersion('etl', 'active'))?.version).toBe(2);
  });
});

describeCatalogRace('the embedded log', () => log, layout, { rounds: 10, timeoutMs: 15_000 });
