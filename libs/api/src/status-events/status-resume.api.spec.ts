import { CLOUDEVENTS_CONTENT_TYPE, STATUS_EVENT_DATA_SCHEMA, Topics } from '@baton/contracts';
import { jsonParam } from '@baton/sql';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';

jest.setTimeout(60_000);

/** Reads an SSE response until `ids` all arrived (or the time is up); answers the ids in order. */
async function idsOf(
  response: Response,
  until: (ids: string[]) => boolean,
  timeoutMs = 10_000,
): Promise<string[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const deadline = setTimeout(() => void reader.cancel(), timeoutMs);
  let text = '';
  const ids = () => [...text.matchAll(/^id: (.+)$/gm)].map((m) => m[1]);
  try {
    while (!until(ids())) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(deadline);
    await reader.cancel().catch(() => undefined);
  }
  return ids();
}

/** A reconnecting client sends Last-Event-ID and gets what it missed from the stored events, then live ones. */
describe('GET /api/v1/events/stream?runId= with Last-Event-ID', () => {
  let sut: ApiTestApp;
  const runId = 'run-resumed';

  beforeAll(async () => {
    sut = await startApiTestApp();
    await sut.sql.query(
      `INSERT INTO runs (run_id, workflow_id, workflow_version, status, params, request_id, created_at, last_seq, updated_at)
       VALUES ($1, 'wf', 3, 'running', $2::jsonb, 'req', now(), 4, now())`,
      [runId, jsonParam({})],
    );
    const events = [
      { type: 'RunStarted', seq: 1 },
      { type: 'StepReady', seq: 2, stepId: 'a', attempt: 1, dispatch: { kind: 'pool', pool: 'default' } },
      { type: 'StepStarted', seq: 3, stepId: 'a', attempt: 1 },
      { type: 'StepLeaseExtended', seq: 4, stepId: 'a', attempt: 1 },
    ];
    for (const event of events) {
      await sut.sql.query(
        `INSERT INTO run_events (run_id, seq, type, schema_version, at, payload) VALUES ($1, $2, $3, 1, now(), $4::jsonb)`,
        [runId, event.seq, event.type, jsonParam({ ...event, runId, at: 1000 + event.seq })],
      );
    }
  });
  afterAll(() => sut.close());

  it('given the id of event 1, replays the status events after it, then streams live ones, each once', async () => {
    const response = await fetch(`${sut.base}/api/v1/events/stream?runId=${runId}`, {
      headers: { 'Last-Event-ID': `${runId}/1` },
    });
    expect(response.status).toBe(200);
    const producer = await sut.log.producer();
    try {
      // seq 3 is live and stored both: sent once; seq 5 is only live.
      for (const seq of [3, 5]) {
        await producer.send([
          {
            topic: Topics.statusEvents,
            key: runId,
            headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
            value: JSON.stringify({
              specversion: '1.0',
              id: `${runId}/${seq}`,
              source: 'baton/engine',
              type: 'io.baton.step.running',
              subject: `${runId}/a`,
              time: new Date(0).toISOString(),
              datacontenttype: 'application/json',
              dataschema: STATUS_EVENT_DATA_SCHEMA,
              data: {
                runId,
                workflowId: 'wf',
                workflowVersion: 3,
                seq,
                at: 0,
                scope: 'step',
                status: 'running',
              },
            }),
          },
        ]);
      }
      const ids = await idsOf(response, (seen) => seen.includes(`${runId}/5`));
      // StepReady (2) and StepStarted (3) from the store, the lease extension (4) is no status change.
      expect(ids).toEqual([`${runId}/2`, `${runId}/3`, `${runId}/5`]);
    } finally {
      await producer.close();
    }
  });

  it('ignores a Last-Event-ID of another run (nothing replayed)', async () => {
    const response = await fetch(`${sut.base}/api/v1/events/stream?runId=${runId}`, {
      headers: { 'Last-Event-ID': 'some-other-run/1' },
    });
    const ids = await idsOf(response, (seen) => seen.length > 0, 1500);
    expect(ids).toEqual([]);
  });

  it('replays nothing on a workflow stream: resuming is per run (documented in docs/events.md)', async () => {
    const response = await fetch(`${sut.base}/api/v1/events/stream?workflowId=wf`, {
      headers: { 'Last-Event-ID': `${runId}/1` },
    });
    expect(response.status).toBe(200);
    const ids = await idsOf(response, (seen) => seen.length > 0, 1500);
    expect(ids).toEqual([]);
  });
});
