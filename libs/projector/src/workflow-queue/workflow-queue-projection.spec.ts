import {
  decideWorkflowCommand,
  evolveWorkflowQueue,
  initialWorkflowQueueState,
  type WorkflowEvent,
  type WorkflowQueueState,
} from '@baton/domain/workflow-queue';
import { draft } from '@baton/readmodel/testing/read-model.test-kit';
import { registrySeedCommands } from './seed-registry';
import { projectWorkflowEvents } from './workflow-queue-projection';
import { jsonParam, PGliteSqlClient } from '@baton/sql';
import { migrate, WorkflowRegistry } from '@baton/readmodel';
import { describeRegistryContract } from '@baton/readmodel/testing/workflow-registry.contract';
import { projectedRegistryClient } from './testing/projected-registry-client';
import { describeQueueProjection } from './testing/queue-projection.contract';

// An in-memory PGlite runs initdb (2-4 s): one for the whole file.
jest.setTimeout(60_000);

let sql: PGliteSqlClient;

beforeAll(async () => {
  sql = await PGliteSqlClient.open();
  await migrate(sql);
});

afterAll(() => sql?.close());

describeQueueProjection('PGlite', () => ({ sql: () => sql, prefix: 'pglite' }));

// The registry as the read model shows it, written only by this projection of the writer's events.
describeRegistryContract(() => sql, projectedRegistryClient);

/** The rows an older release's API wrote for `versions` pushes of `workflowId` (no event behind them). */
async function legacyRows(workflowId: string, versions: number, active: number | null): Promise<void> {
  const at = new Date(Date.UTC(2025, 0, 1));
  await sql.query(
    'INSERT INTO workflows (workflow_id, latest_version, created_at, updated_at) VALUES ($1, 0, $2, $2)',
    [workflowId, at],
  );
  for (let v = 1; v <= versions; v++) {
    await sql.query(
      `INSERT INTO workflow_versions (workflow_id, version, definition, source, created_at, pushed_by)
       VALUES ($1, $2, $3::jsonb, $4, $5, 'alice')`,
      [
        workflowId,
        v,
        jsonParam({ ...draft(workflowId, { description: `v${v}` }), version: v }),
        `src ${v}`,
        at,
      ],
    );
  }
  await sql.query('UPDATE workflows SET latest_version = $2, active_version = $3 WHERE workflow_id = $1', [
    workflowId,
    versions,
    active,
  ]);
}

describe('seeding the registry of an upgraded installation', () => {
  it('republishes old rows as commands the writer turns into the same versions, once', async () => {
    await legacyRows('old_active', 3, 2);
    await legacyRows('old_off', 2, null);
    const registry = new WorkflowRegistry(sql);
    const before = await registry.list();

    const commands = await registrySeedCommands(registry, Date.UTC(2026, 0, 1));
    expect(
      commands.map((c) => [c.workflowId, c.type, 'expectedVersion' in c ? c.expectedVersion : null]),
    ).toEqual([
      ['old_active', 'PushWorkflowVersion', 1],
      ['old_active', 'PushWorkflowVersion', 2],
      ['old_active', 'PushWorkflowVersion', 3],
      ['old_off', 'PushWorkflowVersion', 1],
      ['old_off', 'PushWorkflowVersion', 2],
      ['old_off', 'DeactivateWorkflow', null],
    ]);

    // The writer decides them (twice: a second seeding before the first was projected), the projector folds the events.
    const states = new Map<string, WorkflowQueueState>();
    const events: WorkflowEvent[] = [];
    for (const command of [...commands, ...commands]) {
      const state = states.get(command.workflowId) ?? initialWorkflowQueueState();
      const decided = decideWorkflowCommand(command, state);
      states.set(command.workflowId, decided.reduce(evolveWorkflowQueue, state));
      events.push(...decided);
    }
    await sql.transaction((tx) => projectWorkflowEvents(tx, events));

    expect(states.get('old_active')).toMatchObject({ latestVersion: 3, activeVersion: 2 });
    expect(states.get('old_off')).toMatchObject({ latestVersion: 2, activeVersion: null });
    // The rows are what they were (created times, pushers, sources), now backed by the log.
    expect(await registry.list()).toEqual(before.map((w) => ({ ...w, updatedAt: expect.any(Number) })));
    expect((await registry.getVersion('old_active', 1))?.pushedBy).toBe('alice');
    expect(await registrySeedCommands(registry, Date.UTC(2026, 0, 2))).toEqual([]);
  });
});
