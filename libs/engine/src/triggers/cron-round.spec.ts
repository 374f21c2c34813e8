import type { CronTrigger } from '@baton/domain';
import { planCronRound, type CronCursor, type CronRoundInput } from './cron-round';
import type { WorkflowTriggers } from './trigger-catalog';

const at = (iso: string): number => Date.parse(iso);
const MINUTE = 60_000;

const cron = (schedule: string, params = {}, timezone = 'UTC'): CronTrigger => ({
  schedule,
  timezone,
  params,
});
const workflow = (
  workflowId: string,
  triggers: CronTrigger[],
  version = 1,
  updatedAt = 0,
): WorkflowTriggers => ({
  workflowId,
  version,
  updatedAt,
  triggers: { cron: triggers, signals: [] },
});

function round(
  workflows: WorkflowTriggers[],
  now: string,
  cursors: ReadonlyMap<string, CronCursor> = new Map(),
  overrides: Partial<CronRoundInput> = {},
) {
  return planCronRound({
    workflows,
    cursors,
    now: at(now),
    catchUpMs: 60_000,
    maxTicks: 1_000,
    ...overrides,
  });
}

describe('planCronRound', () => {
  it('requests a run per tick since the cursor, with a request id and requestedAt taken from the tick', () => {
    const cursors = new Map([['etl', { version: 3, checkedUpTo: at('2026-01-05T09:59:30Z') }]]);
    const plan = round(
      [workflow('etl', [cron('* * * * *', { mode: 'full' })], 3)],
      '2026-01-05T10:00:30Z',
      cursors,
    );
    expect(plan.requests).toEqual([
      {
        schemaVersion: 1,
        workflowId: 'etl',
        version: 3,
        requestId: 'cron:0:2026-01-05T10:00:00.000Z',
        params: { mode: 'full' },
        requestedAt: at('2026-01-05T10:00:00Z'),
      },
    ]);
    expect(plan.cursors).toEqual(new Map([['etl', { version: 3, checkedUpTo: at('2026-01-05T10:00:30Z') }]]));
    expect(plan.problems).toEqual([]);
  });

  it('names each trigger of a workflow by its index', () => {
    const cursors = new Map([['etl', { version: 1, checkedUpTo: at('2026-01-05T09:30:00Z') }]]);
    const plan = round(
      [workflow('etl', [cron('0 * * * *'), cron('0 10 * * *', { daily: true })])],
      '2026-01-05T10:00:00Z',
      cursors,
    );
    expect(plan.requests.map((r) => [r.requestId, r.params])).toEqual([
      ['cron:0:2026-01-05T10:00:00.000Z', {}],
      ['cron:1:2026-01-05T10:00:00.000Z', { daily: true }],
    ]);
  });

  it('looks back over the catch-up window for a workflow it has not seen yet (a restarted scheduler)', () => {
    const plan = round([workflow('etl', [cron('*/20 * * * * *')])], '2026-01-05T10:00:00Z');
    expect(plan.requests.map((r) => r.requestedAt)).toEqual([
      at('2026-01-05T09:59:20Z'),
      at('2026-01-05T09:59:40Z'),
      at('2026-01-05T10:00:00Z'),
    ]);
  });

  it('fires no tick from before the push or activation of the version', () => {
    const pushed = at('2026-01-05T09:59:50Z');
    const plan = round([workflow('etl', [cron('*/20 * * * * *')], 2, pushed)], '2026-01-05T10:00:30Z');
    expect(plan.requests.map((r) => r.requestedAt)).toEqual([
      at('2026-01-05T10:00:00Z'),
      at('2026-01-05T10:00:20Z'),
    ]);
  });

  it('starts over from the activation when the active version changes', () => {
    const cursors = new Map([['etl', { version: 1, checkedUpTo: at('2026-01-05T10:00:00Z') }]]);
    const activated = at('2026-01-05T09:59:30Z');
    const plan = round(
      [workflow('etl', [cron('*/20 * * * * *')], 2, activated)],
      '2026-01-05T10:00:05Z',
      cursors,
    );
    expect(plan.requests.map((r) => [r.version, r.requestedAt])).toEqual([
      [2, at('2026-01-05T09:59:40Z')],
      [2, at('2026-01-05T10:00:00Z')],
    ]);
  });

  it('skips ticks older than the catch-up window, even behind a cursor', () => {
    const cursors = new Map([['etl', { version: 1, checkedUpTo: at('2026-01-05T09:00:00Z') }]]);
    const plan = round([workflow('etl', [cron('* * * * *')])], '2026-01-05T10:00:00Z', cursors, {
      catchUpMs: 3 * MINUTE,
    });
    expect(plan.requests.map((r) => r.requestId)).toEqual([
      'cron:0:2026-01-05T09:58:00.000Z',
      'cron:0:2026-01-05T09:59:00.000Z',
      'cron:0:2026-01-05T10:00:00.000Z',
    ]);
  });

  it('holds the cursor at the last tick taken when a trigger has more than a round takes', () => {
    const cursors = new Map([['etl', { version: 1, checkedUpTo: at('2026-01-05T09:59:00Z') }]]);
    const workflows = [workflow('etl', [cron('*/10 * * * * *'), cron('* * * * *')])];
    const first = round(workflows, '2026-01-05T10:00:00Z', cursors, { maxTicks: 2 });
    expect(first.requests.map((r) => r.requestId)).toEqual([
      'cron:0:2026-01-05T09:59:10.000Z',
      'cron:0:2026-01-05T09:59:20.000Z',
    ]);
    expect(first.cursors.get('etl')).toEqual({ version: 1, checkedUpTo: at('2026-01-05T09:59:20Z') });
    const second = round(workflows, '2026-01-05T10:00:00Z', first.cursors, { maxTicks: 10 });
    expect(second.requests.map((r) => r.requestId)).toEqual([
      'cron:0:2026-01-05T09:59:30.000Z',
      'cron:0:2026-01-05T09:59:40.000Z',
      'cron:0:2026-01-05T09:59:50.000Z',
      'cron:0:2026-01-05T10:00:00.000Z',
      'cron:1:2026-01-05T10:00:00.000Z',
    ]);
  });

  it('reports an invalid trigger and schedules the others', () => {
    const cursors = new Map([['etl', { version: 4, checkedUpTo: at('2026-01-05T09:59:00Z') }]]);
    const plan = round(
      [workflow('etl', [cron('0 2 * *'), cron('* * * * *')], 4)],
      '2026-01-05T10:00:00Z',
      cursors,
    );
    expect(plan.problems).toEqual([
      expect.stringMatching(/^workflow etl v4 triggers\.cron\[0\]: schedule "0 2 \* \*" has 4 fields/),
    ]);
    expect(plan.requests.map((r) => r.requestId)).toEqual(['cron:1:2026-01-05T10:00:00.000Z']);
  });

  it('forgets workflows no longer listed (deactivated, or their triggers removed)', () => {
    const cursors = new Map([['gone', { version: 1, checkedUpTo: 0 }]]);
    expect(round([], '2026-01-05T10:00:00Z', cursors).cursors.size).toBe(0);
  });

  it('publishes the same requests for a tick whichever scheduler, and however late, plans it', () => {
    const workflows = [workflow('etl', [cron('0 10 * * *', {}, 'Europe/Berlin')])];
    const early = round(workflows, '2026-07-05T08:00:01Z');
    const late = round(workflows, '2026-07-05T08:00:40Z');
    expect(early.requests).toHaveLength(1);
    expect(late.requests).toEqual(early.requests);
  });
});
