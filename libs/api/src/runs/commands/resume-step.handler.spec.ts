import { ConflictError } from '../../http/api.errors';
import {
  AT,
  fixedStamp,
  readModelWith,
  RecordingRunPublisher,
  runDetail,
  stepView,
} from '../testing/run-fixtures';
import { RunActionChecks } from './run-action-checks';
import { ResumeStepCommand } from './resume-step.command';
import { ResumeStepHandler } from './resume-step.handler';

describe('ResumeStepHandler', () => {
  const run = runDetail({ steps: [stepView('extract', 'paused'), stepView('load', 'running')] });
  const { queries, registry } = readModelWith(run);
  const publisher = new RecordingRunPublisher();
  const sut = new ResumeStepHandler(new RunActionChecks(queries, registry), publisher, fixedStamp());

  it('publishes ResumeStep for a step held at its breakpoint', async () => {
    expect(await sut.execute(new ResumeStepCommand('run-1', 'extract', 'alice'))).toEqual({
      runId: 'run-1',
      commandId: 'api-resume/id-1',
    });
    expect(publisher.sent).toEqual([
      {
        type: 'ResumeStep',
        runId: 'run-1',
        stepId: 'extract',
        metadata: { commandId: 'api-resume/id-1', at: AT, by: 'alice' },
      },
    ]);
  });

  it('answers 409 for a step past any breakpoint', async () => {
    await expect(sut.execute(new ResumeStepCommand('run-1', 'load', 'alice'))).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(publisher.sent).toHaveLength(1);
  });
});
