import type { RunDetail } from '@baton/readmodel';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/api.errors';
import { ParamSealer } from '../param-sealer';
import type { RestartRunDto } from '../run-actions.dto';
import { AT, fixedStamp, readModelWith, RecordingRunPublisher, runDetail } from '../testing/run-fixtures';
import { RestartRunCommand } from './restart-run.command';
import { RestartRunHandler } from './restart-run.handler';
import { RunActionChecks } from './run-action-checks';

describe('RestartRunHandler', () => {
  function given(run: RunDetail | null) {
    const { queries, registry } = readModelWith(run);
    const publisher = new RecordingRunPublisher();
    const sut = new RestartRunHandler(
      new RunActionChecks(queries, registry),
      publisher,
      fixedStamp(),
      new ParamSealer(null),
    );
    const when = (body: RestartRunDto) => sut.execute(new RestartRunCommand('run-1', body, 'alice'));
    return { publisher, when };
  }

  it('publishes RestartRun of the incomplete steps by default, stamped with who asked', async () => {
    const { publisher, when } = given(runDetail({ status: 'failed' }));
    expect(await when({})).toEqual({ runId: 'run-1', commandId: 'api-restart/id-1' });
    expect(publisher.sent).toEqual([
      {
        type: 'RestartRun',
        runId: 'run-1',
        mode: 'incomplete',
        metadata: { commandId: 'api-restart/id-1', at: AT, by: 'alice' },
      },
    ]);
  });

  it('restarts from a named step with new params merged over the run', async () => {
    const { publisher, when } = given(runDetail({ status: 'succeeded' }));
    await when({ stepId: 'load', params: { day: '2026-12-04' } });
    expect(publisher.sent[0]).toMatchObject({
      mode: 'from_step',
      stepId: 'load',
      params: { day: '2026-12-04' },
    });
  });

  it.each<[string, Partial<RunDetail> | null, RestartRunDto, unknown]>([
    ['an unknown run', null, {}, NotFoundError],
    ['a running run', { status: 'running' }, {}, ConflictError],
    [
      'a child run',
      { status: 'failed', parent: { runId: 'p', stepId: 's', attempt: 1, index: 0, depth: 1 } },
      {},
      ConflictError,
    ],
    ['from_step without a step', { status: 'failed' }, { mode: 'from_step' }, InvalidRequestError],
    [
      'a step with another mode',
      { status: 'failed' },
      { mode: 'beginning', stepId: 'load' },
      InvalidRequestError,
    ],
    ['a step the workflow lacks', { status: 'failed' }, { stepId: 'report' }, InvalidRequestError],
    ['params that do not fit', { status: 'failed' }, { params: { day: 7 } }, InvalidRequestError],
  ])('refuses %s and publishes nothing', async (_, run, body, error) => {
    const { publisher, when } = given(run === null ? null : runDetail(run));
    await expect(when(body)).rejects.toBeInstanceOf(error);
    expect(publisher.sent).toEqual([]);
  });

  it('names the paths of a refused body', async () => {
    const { when } = given(runDetail({ status: 'failed' }));
    await expect(when({ stepId: 'report' })).rejects.toMatchObject({
      errors: [{ path: '$.stepId', message: expect.stringContaining('its steps are: extract, load') }],
    });
  });
});
