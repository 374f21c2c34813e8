import type { RunEvent } from '@baton/domain';
import { statusChangeOf } from './status-event-mapping';

describe('statusChangeOf', () => {
  const failed = (willRetry: boolean) =>
    ({
      type: 'StepFailed',
      seq: 4,
      at: 1_000,
      stepId: 'load',
      attempt: 1,
      errorKind: 'user',
      message: 'exit 3',
      willRetry,
      branches: {},
    }) as unknown as RunEvent;

  it("names a failed attempt that will retry retry_waiting, the API's step status, and a final one failed", () => {
    expect(statusChangeOf(failed(true))).toEqual({
      scope: 'step',
      status: 'retry_waiting',
      stepId: 'load',
      attempt: 1,
      reason: 'exit 3',
    });
    expect(statusChangeOf(failed(false))).toMatchObject({ status: 'failed' });
  });
});
