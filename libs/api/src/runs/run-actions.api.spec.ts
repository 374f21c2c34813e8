import { Topics } from '@baton/contracts';
import type { RunCommand } from '@baton/domain';
import { jsonParam } from '@baton/sql';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';

const ETL = `id: etl
params:
  day: { type: string, required: true }
  rows: { type: long, default: 10 }
steps:
  - id: extract
    type: noop
  - id: transform
    type: noop
    depends_on: [extract]
  - id: load
    type: noop
    depends_on: [transform]
`;

// The app starts an in-memory PGlite and migrates it: seconds, more on a busy machine.
jest.setTimeout(60_000);

const AT = 1_800_000_000_000;
/** Who the commands are recorded as with auth off (the audit trail's `by`). */
const ANONYMOUS = 'anonymous';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('run action routes', () => {
  let sut: ApiTestApp;
  let seeded = 0;

  beforeAll(async () => {
    sut = await startApiTestApp();
    const pushed = await fetch(`${sut.base}/api/v1/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: ETL,
    });
    expect(pushed.status).toBe(201);
    sut.clock.nowMs = AT;
  });
  afterAll(() => sut.close());

  const post = async (path: string, json?: unknown): Promise<Answer> => {
    const response = await fetch(`${sut.base}/api/v1${path}`, {
      method: 'POST',
      ...(json === undefined
        ? // A body-less action still says it is JSON (browsers cannot post that cross-site).
          { headers: { 'content-type': 'application/json' }, body: '{}' }
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** The commands published for a run, in order, checking each is keyed by the run id. */
  async function commandsOf(runId: string): Promise<RunCommand[]> {
    const records = await sut.records(Topics.runCommands);
    return records
      .map((record) => ({ key: record.key, command: JSON.parse(record.value!) as RunCommand }))
      .filter(({ command }) => command.runId === runId)
      .map(({ key, command }) => {
        expect(key).toBe(runId);
        return command;
      });
  }

  /** A run as the projector would have left it, with some of its steps; a fresh id each time. */
  async function seedRun(
    status: string,
    steps: Readonly<Record<string, string>> = {},
    workflowId = 'etl',
    parent: { runId: string; stepId: string } | null = null,
  ): Promise<string> {
    const runId = `run-${++seeded}`;
    await sut.sql.query(
      `INSERT INTO runs (run_id, workflow_id, workflow_version, status, params, request_id, created_at, last_seq, updated_at,
                         parent_run_id, parent_step_id, parent_attempt, parent_index, depth)
       VALUES ($1, $2, 1, $3, $4::jsonb, $5, now(), 5, now(), $6, $7, $8, $9, $10)`,
      [
        runId,
        workflowId,
        status,
        jsonParam({ day: '2026-01-01', rows: 10 }),
        `req-${runId}`,
        parent?.runId ?? null,
        parent?.stepId ?? null,
        parent === null ? null : 1,
        parent === null ? null : 0,
        parent === null ? 0 : 1,
      ],
    );
    for (const [stepId, stepStatus] of Object.entries(steps)) {
      await sut.sql.query(
        `INSERT INTO steps (run_id, step_id, status, attempt, ready_at, updated_at) VALUES ($1, $2, $3, 1, now(), now())`,
        [runId, stepId, stepStatus],
      );
    }
    return runId;
  }

  describe('POST /runs/{runId}/restart', () => {
    it('publishes a RestartRun of the incomplete steps by default and answers 202 with the command id', async () => {
      const runId = await seedRun('failed', { extract: 'succeeded', transform: 'failed' });

      const answer = await post(`/runs/${runId}/restart`, {});

      expect(answer.status).toBe(202);
      expect(await commandsOf(runId)).toEqual([
        {
          type: 'RestartRun',
          runId,
          mode: 'incomplete',
          metadata: {
            commandId: expect.stringMatching(/^api-restart\/[0-9a-f-]{36}$/),
            at: AT,
            by: ANONYMOUS,
          },
        },
      ]);
      const [command] = await commandsOf(runId);
      expect(answer.body).toEqual({ runId, commandId: command!.metadata.commandId });
    });

    it('restarts from a named step (mode from_step implied) or from the beginning, with new params', async () => {
      const runId = await seedRun('succeeded');

      expect((await post(`/runs/${runId}/restart`, { stepId: 'transform' })).status).toBe(202);
      expect(
        (await post(`/runs/${runId}/restart`, { mode: 'from_step', stepId: 'load', params: { rows: 5 } }))
          .status,
      ).toBe(202);
      expect(
        (await post(`/runs/${runId}/restart`, { mode: 'beginning', params: { day: '2026-02-02' } })).status,
      ).toBe(202);

      expect(await commandsOf(runId)).toMatchObject([
        { type: 'RestartRun', mode: 'from_step', stepId: 'transform' },
        { type: 'RestartRun', mode: 'from_step', stepId: 'load', params: { rows: 5 } },
        { type: 'RestartRun', mode: 'beginning', params: { day: '2026-02-02' } },
      ]);
      expect((await commandsOf(runId))[2]).not.toHaveProperty('stepId');
    });

    it('takes params: null as no new params (the fuzz found a 500 here)', async () => {
      const runId = await seedRun('succeeded');
      expect((await post(`/runs/${runId}/restart`, { mode: 'beginning', params: null })).status).toBe(202);
      const [command] = await commandsOf(runId);
      expect(command).toMatchObject({ type: 'RestartRun', mode: 'beginning' });
      expect(command).not.toHaveProperty('params');
    });

    it.each([
      [{ mode: 'from_step' }, '$.stepId', 'mode from_step needs stepId'],
      [{ mode: 'beginning', stepId: 'load' }, '$.stepId', 'stepId goes with mode from_step only'],
      [
        { stepId: 'lod' },
        '$.stepId',
        'workflow etl v1 has no step "lod"; its steps are: extract, transform, load',
      ],
      [{ params: { rows: 'many' } }, '$.params.rows', 'expected a long'],
      [{ params: { colour: 'red' } }, '$.params.colour', "declares no param 'colour'"],
      [{ mode: 'sideways' }, '$.mode', 'mode must be one of incomplete, beginning, from_step'],
      [{ params: [1] }, '$.params', 'params must be an object'],
    ])('answers 400 for %j, pointing at %s, and publishes nothing', async (body, path, message) => {
      const runId = await seedRun('failed');

      const answer = await post(`/runs/${runId}/restart`, body);

      expect(answer.status).toBe(400);
      expect(answer.body.errors).toContainEqual({ path, message: expect.stringContaining(message) });
      expect(await commandsOf(runId)).toEqual([]);
    });

    it('answers 409 for a run that has not finished, 404 for a run the read model does not have', async () => {
      const runId = await seedRun('running');

      expect(await post(`/runs/${runId}/restart`, {})).toEqual({
        status: 409,
        body: {
          statusCode: 409,
          message: `run ${runId} is still running: only a finished run restarts (stop or kill it first)`,
        },
      });
      expect(await post('/runs/ghost/restart', {})).toMatchObject({
        status: 404,
        body: { message: expect.stringContaining('run ghost is unknown') },
      });
      expect(await commandsOf(runId)).toEqual([]);
    });

    it('leaves the step check to the engine for a run whose definition is not in the registry', async () => {
      const runId = await seedRun('failed', {}, 'etl.retired');

      expect((await post(`/runs/${runId}/restart`, { stepId: 'inner' })).status).toBe(202);
      expect(await commandsOf(runId)).toMatchObject([
        { type: 'RestartRun', mode: 'from_step', stepId: 'inner' },
      ]);
    });

    it('answers 409 for a child run, naming the parent step to restart instead', async () => {
      const parent = await seedRun('failed', { each_day: 'failed' });
      const child = await seedRun('failed', {}, 'etl.each_day', { runId: parent, stepId: 'each_day' });

      expect(await post(`/runs/${child}/restart`, {})).toEqual({
        status: 409,
        body: {
          statusCode: 409,
          message: `run ${child} is a child run of step each_day of run ${parent}: restart run ${parent} from step each_day instead`,
        },
      });
      expect(await commandsOf(child)).toEqual([]);
    });
  });

  describe('POST /runs/{runId}/stop', () => {
    it('publishes a StopRun with the reason, or a default one', async () => {
      const runId = await seedRun('running');

      const answer = await post(`/runs/${runId}/stop`, { reason: 'maintenance window' });
      expect((await post(`/runs/${runId}/stop`)).status).toBe(202);

      expect(answer).toMatchObject({
        status: 202,
        body: { runId, commandId: expect.stringMatching(/^api-stop\//) },
      });
      expect(await commandsOf(runId)).toEqual([
        {
          type: 'StopRun',
          runId,
          reason: 'maintenance window',
          metadata: { commandId: answer.body.commandId, at: AT, by: ANONYMOUS },
        },
        expect.objectContaining({ type: 'StopRun', reason: 'stopped through the API' }),
      ]);
    });

    it('answers 409 for a finished run, 404 for an unknown one, 400 for an unknown field', async () => {
      const runId = await seedRun('cancelled');

      expect(await post(`/runs/${runId}/stop`, {})).toMatchObject({
        status: 409,
        body: { message: `run ${runId} already cancelled; there is nothing to stop` },
      });
      expect((await post('/runs/ghost/stop', {})).status).toBe(404);
      const running = await seedRun('running');
      expect(await post(`/runs/${running}/stop`, { reasn: 'typo' })).toMatchObject({
        status: 400,
        body: { errors: [{ path: '$.reasn' }] },
      });
      expect([...(await commandsOf(runId)), ...(await commandsOf(running))]).toEqual([]);
    });
  });

  describe('POST /runs/{runId}/kill (and /cancel, the same)', () => {
    it('publishes a CancelRun, through either path', async () => {
      const runId = await seedRun('running');

      const killed = await post(`/runs/${runId}/kill`, { reason: 'wrong day' });
      const cancelled = await post(`/runs/${runId}/cancel`);

      expect(killed).toMatchObject({
        status: 202,
        body: { runId, commandId: expect.stringMatching(/^api-kill\//) },
      });
      expect(cancelled.status).toBe(202);
      expect(await commandsOf(runId)).toEqual([
        {
          type: 'CancelRun',
          runId,
          reason: 'wrong day',
          metadata: { commandId: killed.body.commandId, at: AT, by: ANONYMOUS },
        },
        {
          type: 'CancelRun',
          runId,
          reason: 'killed through the API',
          metadata: { commandId: cancelled.body.commandId, at: AT, by: ANONYMOUS },
        },
      ]);
    });

    it('withdraws a run still waiting in its workflow queue with a CancelQueuedRun to the queue', async () => {
      await sut.sql.query(
        `INSERT INTO workflow_queue_runs (workflow_id, run_id, request_id, position, version, queued_at)
         VALUES ('etl', 'queued-1', 'req-queued-1', 4, 1, now())`,
      );

      const killed = await post('/runs/queued-1/kill', { reason: 'not today' });

      expect(killed).toMatchObject({ status: 202, body: { runId: 'queued-1' } });
      // The workflow's push in `beforeAll` went to the same topic first.
      const records = (await sut.records(Topics.workflowCommands)).filter(
        (record) => (JSON.parse(record.value!) as { type: string }).type !== 'PushWorkflowVersion',
      );
      expect(
        records.map((record) => ({ key: record.key, value: JSON.parse(record.value!) as unknown })),
      ).toEqual([
        {
          key: 'etl',
          value: {
            type: 'CancelQueuedRun',
            workflowId: 'etl',
            runId: 'queued-1',
            reason: 'not today',
            metadata: { commandId: killed.body.commandId, at: AT, by: ANONYMOUS },
          },
        },
      ]);
      expect(await commandsOf('queued-1')).toEqual([]);
    });

    it('answers 409 for a finished run and 404 for an unknown one', async () => {
      const runId = await seedRun('succeeded');

      for (const path of ['kill', 'cancel']) {
        expect(await post(`/runs/${runId}/${path}`, {})).toMatchObject({
          status: 409,
          body: { message: `run ${runId} already succeeded; there is nothing to kill` },
        });
        expect((await post(`/runs/ghost/${path}`, {})).status).toBe(404);
      }
      expect(await commandsOf(runId)).toEqual([]);
    });
  });

  describe('POST /runs/{runId}/steps/{stepId}/skip', () => {
    it('publishes a SkipStep for a step in flight or not yet ready', async () => {
      const runId = await seedRun('running', { extract: 'running' });

      const answer = await post(`/runs/${runId}/steps/extract/skip`, { reason: 'source is down' });
      expect((await post(`/runs/${runId}/steps/load/skip`)).status).toBe(202);

      expect(answer).toMatchObject({
        status: 202,
        body: { runId, commandId: expect.stringMatching(/^api-skip\//) },
      });
      expect(await commandsOf(runId)).toEqual([
        {
          type: 'SkipStep',
          runId,
          stepId: 'extract',
          reason: 'source is down',
          metadata: { commandId: answer.body.commandId, at: AT, by: ANONYMOUS },
        },
        expect.objectContaining({ type: 'SkipStep', stepId: 'load', reason: 'skipped through the API' }),
      ]);
    });

    it('answers 409 for a finished step or run, 404 for an unknown run or a step the workflow lacks', async () => {
      const runId = await seedRun('running', { extract: 'succeeded' });
      const finished = await seedRun('failed');

      expect(await post(`/runs/${runId}/steps/extract/skip`, {})).toMatchObject({
        status: 409,
        body: { message: `step extract of run ${runId} already succeeded; there is nothing to skip` },
      });
      expect(await post(`/runs/${finished}/steps/load/skip`, {})).toMatchObject({
        status: 409,
        body: { message: `run ${finished} already failed; there is nothing to skip` },
      });
      expect(await post(`/runs/${runId}/steps/lod/skip`, {})).toMatchObject({
        status: 404,
        body: {
          message: `run ${runId} (workflow etl v1) has no step "lod"; its steps are: extract, transform, load`,
        },
      });
      expect((await post('/runs/ghost/steps/load/skip', {})).status).toBe(404);
      expect([...(await commandsOf(runId)), ...(await commandsOf(finished))]).toEqual([]);
    });
  });

  describe('POST /runs/{runId}/steps/{stepId}/resume', () => {
    it('publishes a ResumeStep for a step paused at its breakpoint (or not projected there yet)', async () => {
      const runId = await seedRun('running', { extract: 'succeeded', transform: 'paused' });

      const answer = await post(`/runs/${runId}/steps/transform/resume`);
      expect((await post(`/runs/${runId}/steps/load/resume`)).status).toBe(202);

      expect(answer).toMatchObject({
        status: 202,
        body: { runId, commandId: expect.stringMatching(/^api-resume\//) },
      });
      expect(await commandsOf(runId)).toEqual([
        {
          type: 'ResumeStep',
          runId,
          stepId: 'transform',
          metadata: { commandId: answer.body.commandId, at: AT, by: ANONYMOUS },
        },
        expect.objectContaining({ type: 'ResumeStep', stepId: 'load' }),
      ]);
    });

    it('answers 409 for a step past its breakpoint or a finished run, 404 for a step the workflow lacks', async () => {
      const runId = await seedRun('running', { extract: 'running' });
      const finished = await seedRun('succeeded');

      expect(await post(`/runs/${runId}/steps/extract/resume`)).toMatchObject({
        status: 409,
        body: {
          message: `step extract of run ${runId} is running, past any breakpoint; there is nothing to resume`,
        },
      });
      expect((await post(`/runs/${finished}/steps/load/resume`)).status).toBe(409);
      expect((await post(`/runs/${runId}/steps/lod/resume`)).status).toBe(404);
      expect((await post('/runs/ghost/steps/load/resume')).status).toBe(404);
      expect([...(await commandsOf(runId)), ...(await commandsOf(finished))]).toEqual([]);
    });
  });
});
