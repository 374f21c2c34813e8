import type { SqlClient } from '@baton/sql';
import { WorkflowNotFoundError, WorkflowRegistry, WorkflowVersionNotFoundError } from '../workflow-registry';
import type { RegistryClient } from '../workflow-registry.client';
import { draft, uniqueId } from './read-model.test-kit';

/**
 * The registry's versioning rules as the read model shows them, on a
 * migrated database shared with other tests (ids are unique). Writes go
 * through `writerOf`: a `RegistryClient` whose commands the caller decides
 * and projects into `sql` (the workflow queue's decider and projector), with
 * `now()` as the commands' time.
 */
export function describeRegistryContract(
  sqlOf: () => SqlClient,
  writerOf: (sql: SqlClient, now: () => number) => RegistryClient,
): void {
  describe('WorkflowRegistry', () => {
    let sut: WorkflowRegistry;
    let writer: RegistryClient;
    let now: number;

    beforeEach(() => {
      now = Date.UTC(2024, 0, 1);
      sut = new WorkflowRegistry(sqlOf());
      writer = writerOf(sqlOf(), () => now);
    });

    it('numbers the first push 1 and makes it active', async () => {
      const id = uniqueId('wf');
      expect(await writer.push({ definition: draft(id), source: 'yaml v1' })).toEqual({
        workflowId: id,
        version: 1,
        created: true,
        activeVersion: 1,
      });
      expect(await sut.get(id)).toEqual({
        workflowId: id,
        activeVersion: 1,
        latestVersion: 1,
        name: `Workflow ${id}`,
        description: 'made by the contract suite',
        tags: ['test'],
        createdAt: now,
        updatedAt: now,
      });
      const version = await sut.getVersion(id, 'active');
      expect(version).toMatchObject({
        workflowId: id,
        version: 1,
        active: true,
        source: 'yaml v1',
        createdAt: now,
      });
      expect(version!.definition).toEqual({ ...draft(id), version: 1 });
    });

    it('returns the latest version for a re-push of the same definition, however it is written', async () => {
      const id = uniqueId('wf');
      await writer.push({ definition: draft(id), source: 'name: x\n' });
      // Same content, keys in another order, different source text (comments, formatting).
      const reordered = Object.fromEntries(Object.entries(draft(id)).reverse()) as ReturnType<typeof draft>;
      const again = await writer.push({ definition: reordered, source: '# a comment\nname: x\n' });
      expect(again).toEqual({ workflowId: id, version: 1, created: false, activeVersion: 1 });
      expect(await sut.listVersions(id)).toHaveLength(1);
      expect((await sut.getVersion(id, 1))!.source).toBe('name: x\n');
    });

    it('adds an immutable new version for a changed definition, leaving the active one', async () => {
      const id = uniqueId('wf');
      await writer.push({ definition: draft(id), source: 'v1' });
      now += 1000;
      expect(await writer.push({ definition: draft(id, { description: 'changed' }), source: 'v2' })).toEqual({
        workflowId: id,
        version: 2,
        created: true,
        activeVersion: 1,
      });
      expect(await sut.get(id)).toMatchObject({ activeVersion: 1, latestVersion: 2, updatedAt: now });
      expect(await sut.getVersion(id, 'latest')).toMatchObject({ version: 2, active: false, source: 'v2' });
      expect((await sut.getVersion(id, 'active'))!.definition.description).toBe('made by the contract suite');
      expect((await sut.listVersions(id)).map((v) => v.version)).toEqual([2, 1]);
    });

    it('compares with the latest version only: going back to an older definition is a new version', async () => {
      const id = uniqueId('wf');
      await writer.push({ definition: draft(id), source: 'a' });
      await writer.push({ definition: draft(id, { tags: ['b'] }), source: 'b' });
      expect(await writer.push({ definition: draft(id), source: 'a' })).toMatchObject({
        version: 3,
        created: true,
      });
    });

    it('owns the version number: a stale version in the draft is ignored', async () => {
      const id = uniqueId('wf');
      await writer.push({
        definition: { ...draft(id), version: 41 } as ReturnType<typeof draft>,
        source: 's',
      });
      expect((await sut.getVersion(id, 1))!.definition.version).toBe(1);
      expect(
        await writer.push({
          definition: { ...draft(id), version: 7 } as ReturnType<typeof draft>,
          source: 's',
        }),
      ).toMatchObject({ version: 1, created: false });
    });

    it('activates a chosen version', async () => {
      const id = uniqueId('wf');
      await writer.push({ definition: draft(id), source: 'v1' });
      await writer.push({ definition: draft(id, { name: 'second' }), source: 'v2' });
      await writer.activate(id, 2);
      expect(await sut.getVersion(id, 'active')).toMatchObject({ version: 2, active: true });
      expect(await sut.get(id)).toMatchObject({ activeVersion: 2, name: 'second' });
      await writer.activate(id, 1);
      expect(await sut.get(id)).toMatchObject({ activeVersion: 1 });
    });

    it('refuses to activate what does not exist', async () => {
      const id = uniqueId('wf');
      await expect(writer.activate(id, 1)).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await writer.push({ definition: draft(id), source: 'v1' });
      await expect(writer.activate(id, 2)).rejects.toBeInstanceOf(WorkflowVersionNotFoundError);
      expect(await sut.get(id)).toMatchObject({ activeVersion: 1 });
    });

    it('deactivates: no active version until one is activated, and the summary names the latest', async () => {
      const id = uniqueId('wf-off');
      await writer.push({ definition: draft(id), source: 'v1' });
      await writer.push({ definition: draft(id, { name: 'second' }), source: 'v2' });
      now += 1000;
      await writer.deactivate(id);
      expect(await sut.get(id)).toMatchObject({
        activeVersion: null,
        latestVersion: 2,
        name: 'second',
        updatedAt: now,
      });
      expect(await sut.getVersion(id, 'active')).toBeNull();
      expect((await sut.listVersions(id)).map((v) => [v.version, v.active])).toEqual([
        [2, false],
        [1, false],
      ]);
      expect(await sut.getVersion(id, 1)).toMatchObject({ version: 1, active: false });

      await writer.activate(id, 1);
      expect(await sut.getVersion(id, 'active')).toMatchObject({ version: 1, active: true });
    });

    it('keeps a deactivated workflow inactive through pushes, and deactivating twice changes nothing', async () => {
      const id = uniqueId('wf-off');
      await writer.push({ definition: draft(id), source: 'v1' });
      await writer.deactivate(id);
      const deactivatedAt = now;
      now += 1000;
      await writer.deactivate(id);
      expect(await sut.get(id)).toMatchObject({ activeVersion: null, updatedAt: deactivatedAt });
      expect(await writer.push({ definition: draft(id, { tags: ['new'] }), source: 'v2' })).toMatchObject({
        version: 2,
        created: true,
        activeVersion: null,
      });
      expect(await sut.get(id)).toMatchObject({ activeVersion: null, latestVersion: 2 });
      expect(await sut.list()).toContainEqual(
        expect.objectContaining({ workflowId: id, activeVersion: null }),
      );
    });

    it('activates what it pushes with activate: a new version, or the unchanged latest', async () => {
      const id = uniqueId('wf-on');
      await writer.push({ definition: draft(id), source: 'v1', activate: true });
      now += 1000;
      expect(
        await writer.push({ definition: draft(id, { description: 'fix' }), source: 'v2', activate: true }),
      ).toEqual({ workflowId: id, version: 2, created: true, activeVersion: 2 });
      expect(await sut.get(id)).toMatchObject({ activeVersion: 2, latestVersion: 2, updatedAt: now });
      // An operator goes back to v1; pushing the same v2 again makes it active again.
      await writer.activate(id, 1);
      now += 1000;
      expect(
        await writer.push({
          definition: draft(id, { description: 'fix' }),
          source: 'v2 again',
          activate: true,
        }),
      ).toEqual({ workflowId: id, version: 2, created: false, activeVersion: 2 });
      expect(await sut.get(id)).toMatchObject({ activeVersion: 2, updatedAt: now });
      // Already active: nothing changes, not even the time (no trigger of it is re-armed).
      const before = now;
      now += 1000;
      await writer.push({ definition: draft(id, { description: 'fix' }), source: 'v2', activate: true });
      expect(await sut.get(id)).toMatchObject({ activeVersion: 2, updatedAt: before });
    });

    it('ends a deactivation when it pushes with activate', async () => {
      const id = uniqueId('wf-back');
      await writer.push({ definition: draft(id), source: 'v1' });
      await writer.deactivate(id);
      expect(
        await writer.push({ definition: draft(id, { tags: ['new'] }), source: 'v2', activate: true }),
      ).toMatchObject({ version: 2, activeVersion: 2 });
      expect(await sut.get(id)).toMatchObject({ activeVersion: 2 });
    });

    it('refuses to deactivate a workflow that does not exist', async () => {
      await expect(writer.deactivate(uniqueId('none'))).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });

    it('answers null for unknown workflows and versions', async () => {
      const id = uniqueId('wf');
      expect(await sut.get(id)).toBeNull();
      expect(await sut.getVersion(id, 'active')).toBeNull();
      await writer.push({ definition: draft(id), source: 'v1' });
      expect(await sut.getVersion(id, 9)).toBeNull();
      expect(await sut.listVersions(uniqueId('none'))).toEqual([]);
    });

    it('lists workflows with their active version', async () => {
      const a = uniqueId('list-a');
      const b = uniqueId('list-b');
      await writer.push({ definition: draft(a), source: 'a' });
      await writer.push({ definition: draft(b), source: 'b1' });
      await writer.push({ definition: draft(b, { name: 'b two' }), source: 'b2' });
      await writer.activate(b, 2);
      const listed = (await sut.list()).filter((w) => w.workflowId === a || w.workflowId === b);
      expect(listed.map((w) => [w.workflowId, w.activeVersion, w.latestVersion, w.name])).toEqual([
        [a, 1, 1, `Workflow ${a}`],
        [b, 2, 2, 'b two'],
      ]);
    });

    it('gives concurrent pushes of different definitions distinct consecutive versions', async () => {
      const id = uniqueId('wf-concurrent');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          writer.push({ definition: draft(id, { description: `d${i}` }), source: `${i}` }),
        ),
      );
      expect(results.map((r) => r.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(results.every((r) => r.created)).toBe(true);
      expect(await sut.get(id)).toMatchObject({ activeVersion: 1, latestVersion: 8 });
      // Each version holds the definition of the push that got its number.
      for (const result of results) {
        const stored = await sut.getVersion(id, result.version);
        expect(stored!.source).toBe(stored!.definition.description.slice(1));
      }
    });

    it('creates one version for concurrent pushes of the same new definition', async () => {
      const id = uniqueId('wf-same');
      const results = await Promise.all(
        Array.from({ length: 5 }, () => writer.push({ definition: draft(id), source: 's' })),
      );
      expect(results.map((r) => r.version)).toEqual([1, 1, 1, 1, 1]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    });

    it("lists the active versions' triggers, for workflows that have any", async () => {
      const cron = { schedule: '0 2 * * *', timezone: 'Europe/Berlin', params: { day: 'today' } };
      const signal = {
        signal: 'table.loaded',
        match: { table: 'sales' },
        params: { day: { expression: 'signal.params.day' } },
      };
      const [both, signalOnly, none, changed, off] = ['both', 'signal', 'none', 'changed', 'off'].map((n) =>
        uniqueId(`trig-${n}`),
      );
      await writer.push({
        definition: draft(both, { triggers: { cron: [cron], signals: [signal] } }),
        source: 'b',
      });
      await writer.push({
        definition: draft(signalOnly, { triggers: { cron: [], signals: [signal] } }),
        source: 's',
      });
      await writer.push({ definition: draft(none, { triggers: { cron: [], signals: [] } }), source: 'n' });
      await writer.push({
        definition: draft(changed, { triggers: { cron: [cron], signals: [] } }),
        source: 'c1',
      });
      now += 1000;
      await writer.push({
        definition: draft(changed, { triggers: { cron: [], signals: [signal] } }),
        source: 'c2',
      });
      await writer.activate(changed, 2);
      await writer.push({ definition: draft(off, { triggers: { cron: [cron], signals: [] } }), source: 'o' });
      await writer.deactivate(off);

      const mine = (await sut.activeTriggers()).filter((t) =>
        [both, signalOnly, none, changed, off].includes(t.workflowId),
      );
      // By workflow id: trig-both..., trig-changed..., trig-signal...
      expect(mine).toEqual([
        {
          workflowId: both,
          version: 1,
          triggers: { cron: [cron], signals: [signal] },
          updatedAt: now - 1000,
        },
        { workflowId: changed, version: 2, triggers: { cron: [], signals: [signal] }, updatedAt: now },
        {
          workflowId: signalOnly,
          version: 1,
          triggers: { cron: [], signals: [signal] },
          updatedAt: now - 1000,
        },
      ]);
    });
  });
}
