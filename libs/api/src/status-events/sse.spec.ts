import { Subject } from 'rxjs';
import type { StatusCloudEvent } from '@baton/contracts';
import { formatSse, sseFrames } from './sse';

const event = {
  id: 'run-1/4',
  type: 'io.baton.step.running',
  data: { runId: 'run-1', workflowId: 'wf', stepId: 'a' },
} as unknown as StatusCloudEvent;

describe('server-sent event frames', () => {
  it('formats one message per event: type, id and the CloudEvent JSON on one data line', () => {
    expect(formatSse(event)).toBe(
      `event: io.baton.step.running\nid: run-1/4\ndata: ${JSON.stringify(event)}\n\n`,
    );
  });

  it('interleaves heartbeat comments and completes with the events', () => {
    jest.useFakeTimers();
    try {
      const events = new Subject<StatusCloudEvent>();
      const frames: string[] = [];
      let completed = false;
      sseFrames(events, 1_000).subscribe({ next: (f) => frames.push(f), complete: () => (completed = true) });
      jest.advanceTimersByTime(2_500);
      events.next(event);
      events.complete();
      jest.advanceTimersByTime(5_000);
      expect(frames).toEqual([': heartbeat\n\n', ': heartbeat\n\n', formatSse(event)]);
      expect(completed).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
