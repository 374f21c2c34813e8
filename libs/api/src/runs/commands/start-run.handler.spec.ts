import { runIdFor, type RunRequest } from '@baton/contracts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/api.errors';
import { ParamSealer } from '../param-sealer';
import type { StartRunDto } from '../runs.dto';
import { AT, ETL, versionOf } from '../testing/run-fixtures';
import { StartRunCommand } from './start-run.command';
import { StartRunHandler } from './start-run.handler';

describe('StartRunHandler', () => {
  /** `active`: whether etl has an active version (v1), or is deactivated. */
  function given(active = true) {
    const requests: RunRequest[] = [];
    const sut = new StartRunHandler(
      {
        get: async (workflowId) =>
          workflowId === ETL.id
            ? {
                workflowId,
                activeVersion: active ? 1 : null,
                latestVersion: 1,
                name: ETL.id,
                description: '',
                tags: [],
                createdAt: AT,
                updatedAt: AT,
              }
            : null,
        getVersion: async (workflowId, version) =>
          workflowId === ETL.id && (version === 1 || (active && version === 'active'))
            ? versionOf(ETL)
            : null,
      },
      { requestRun: async (request) => void requests.push(request) },
      { now: () => AT },
      { next: () => 'generated' },
      new ParamSealer(null),
    );
    const when = (body: StartRunDto, workflowId = ETL.id) =>
      sut.execute(new StartRunCommand(workflowId, body, 'alice'));
    return { requests, when };
  }

  it('publishes a request pinned to the active version and answers its run id', async () => {
    const { requests, when } = given();
    expect(await when({ params: { day: '2026-12-03' } })).toEqual({
      runId: runIdFor(ETL.id, 'generated'),
      requestId: 'generated',
      workflowId: ETL.id,
      version: 1,
    });
    expect(requests).toEqual([
      {
        schemaVersion: 1,
        workflowId: ETL.id,
        version: 1,
        requestId: 'generated',
        params: { day: '2026-12-03' },
        requestedAt: AT,
        requestedBy: 'alice',
      },
    ]);
  });

  it('keeps the request id given, so the same request answers the same run', async () => {
    const { when } = given();
    const answer = await when({ requestId: 'nightly-2026-12-03', params: { day: 'x' } });
    expect(answer.runId).toBe(runIdFor(ETL.id, 'nightly-2026-12-03'));
  });

  it('starts a named version of a deactivated workflow, and refuses the active one with 409', async () => {
    const { when } = given(false);
    await expect(when({ version: 1, params: { day: 'x' } })).resolves.toMatchObject({ version: 1 });
    await expect(when({ params: { day: 'x' } })).rejects.toBeInstanceOf(ConflictError);
  });

  it.each<[string, StartRunDto, string, unknown]>([
    ['an unknown workflow', {}, 'nope', NotFoundError],
    ['an unknown version', { version: 9 }, ETL.id, NotFoundError],
    ['params that do not fit', { params: {} }, ETL.id, InvalidRequestError],
  ])('refuses %s and publishes nothing', async (_, body, workflowId, error) => {
    const { requests, when } = given();
    await expect(when(body, workflowId)).rejects.toBeInstanceOf(error);
    expect(requests).toEqual([]);
  });

  it('names each unknown breakpoint by its path', async () => {
    const { when } = given();
    await expect(when({ params: { day: 'x' }, breakpoints: ['load', 'report'] })).rejects.toMatchObject({
      errors: [{ path: '$.breakpoints[1]', message: expect.stringContaining('no step "report"') }],
    });
  });
});
