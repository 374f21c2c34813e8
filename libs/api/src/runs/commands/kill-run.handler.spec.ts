import type { WorkflowCommand } from '@baton/domain/workflow-queue';
import type { RunDetail } from '@baton/readmodel';
import { ConflictError, NotFoundError } from '../../http/api.errors';
import { AT, fixedStamp, RecordingRunPublisher, runDetail } from '../testing/run-fixtures';
import { KillRunCommand } from './kill-run.command';
import { KillRunHandler } from './kill-run.handler';

describe('KillRunHandler', () => {
  function given(read: { run?: RunDetail; queued?: RunDetail }) {
    const publisher = new RecordingRunPublisher();
    const workflowCommands: WorkflowCommand[] = [];
    const sut = new KillRunHandler(
      {
        getRun: async () => read.run ?? null,
        getQueuedRun: async () => read.queued ?? null,
      },
      publisher,
      { send: async (command) => void workflowCommands.push(command) },
      fixedStamp(),
    );
    const when = (reason?: string) =>
      sut.execute(new KillRunCommand('run-1', reason === undefined ? {} : { reason }, 'alice'));
    return { publisher, workflowCommands, when };
  }

  it('publishes CancelRun for a running run, with a default reason', async () => {
    const { publisher, workflowCommands, when } = given({ run: runDetail() });
    expect(await when()).toEqual({ runId: 'run-1', commandId: 'api-kill/id-1' });
    expect(publisher.sent).toEqual([
      {
        type: 'CancelRun',
        runId: 'run-1',
        reason: 'killed through the API',
        metadata: { commandId: 'api-kill/id-1', at: AT, by: 'alice' },
      },
    ]);
    expect(workflowCommands).toEqual([]);
  });

  it("withdraws a run still waiting in its workflow's queue, through the queue's writer", async () => {
    const { publisher, workflowCommands, when } = given({ queued: runDetail({ status: 'queued' }) });
    expect(await when('not today')).toEqual({ runId: 'run-1', commandId: 'api-kill/id-1' });
    expect(workflowCommands).toEqual([
      {
        type: 'CancelQueuedRun',
        workflowId: 'etl',
        runId: 'run-1',
        reason: 'not today',
        metadata: { commandId: 'api-kill/id-1', at: AT, by: 'alice' },
      },
    ]);
    expect(publisher.sent).toEqual([]);
  });

  it('answers 404 for an unknown run and 409 for an ended one, publishing nothing', async () => {
    const unknown = given({});
    await expect(unknown.when()).rejects.toBeInstanceOf(NotFoundError);
    const ended = given({ run: runDetail({ status: 'cancelled' }) });
    await expect(ended.when()).rejects.toThrow(
      new ConflictError('run run-1 already cancelled; there is nothing to kill'),
    );
    expect([...unknown.publisher.sent, ...ended.publisher.sent]).toEqual([]);
  });
});
