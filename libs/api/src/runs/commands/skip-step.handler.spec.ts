import type { RunDetail } from '@baton/readmodel';
import { ConflictError, NotFoundError } from '../../http/api.errors';
import {
  AT,
  fixedStamp,
  readModelWith,
  RecordingRunPublisher,
  runDetail,
  stepView,
} from '../testing/run-fixtures';
import { RunActionChecks } from './run-action-checks';
import { SkipStepCommand } from './skip-step.command';
import { SkipStepHandler } from './skip-step.handler';

describe('SkipStepHandler', () => {
  function given(run: RunDetail) {
    const { queries, registry } = readModelWith(run);
    const publisher = new RecordingRunPublisher();
    const sut = new SkipStepHandler(new RunActionChecks(queries, registry), publisher, fixedStamp());
    const when = (stepId: string) => sut.execute(new SkipStepCommand('run-1', stepId, {}, 'alice'));
    return { publisher, when };
  }

  it('publishes SkipStep for a step not yet finished (or never ready)', async () => {
    const { publisher, when } = given(runDetail({ steps: [stepView('extract', 'running')] }));
    await when('extract');
    await when('load');
    expect(publisher.sent).toEqual([
      {
        type: 'SkipStep',
        runId: 'run-1',
        stepId: 'extract',
        reason: 'skipped through the API',
        metadata: { commandId: 'api-skip/id-1', at: AT, by: 'alice' },
      },
      expect.objectContaining({ type: 'SkipStep', stepId: 'load' }),
    ]);
  });

  it('answers 404 for a step the workflow lacks, 409 for a finished step or run', async () => {
    const { publisher, when } = given(runDetail({ steps: [stepView('extract', 'succeeded')] }));
    await expect(when('report')).rejects.toBeInstanceOf(NotFoundError);
    await expect(when('extract')).rejects.toThrow(
      new ConflictError('step extract of run run-1 already succeeded; there is nothing to skip'),
    );
    await expect(given(runDetail({ status: 'failed' })).when('load')).rejects.toBeInstanceOf(ConflictError);
    expect(publisher.sent).toEqual([]);
  });
});
