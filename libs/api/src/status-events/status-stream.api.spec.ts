import {
  CLOUDEVENTS_CONTENT_TYPE,
  STATUS_EVENT_DATA_SCHEMA,
  Topics,
  type StatusCloudEvent,
} from '@baton/contracts';
import type { Producer } from '@baton/eventlog';
import { type ApiTestApp, startApiTestApp } from '../testing/api-test-app';
import { EventBus } from '@nestjs/cqrs';

// One Nest app over PGlite, its migrations and the admin token's scrypt: seconds on a busy machine.
jest.setTimeout(60_000);

function statusEvent(runId: string, seq: number, status: 'running' | 'succeeded'): StatusCloudEvent {
  return {
    specversion: '1.0',
    id: `${runId}/${seq}`,
    source: 'baton/engine',
    type: `io.baton.run.${status}`,
    subject: runId,
    time: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    datacontenttype: 'application/json',
    dataschema: STATUS_EVENT_DATA_SCHEMA,
    data: { runId, workflowId: 'wf', workflowVersion: 1, seq, at: 0, scope: 'run', status },
  };
}

interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
}

/** A minimal SSE client over fetch: collects messages (comments are skipped) until closed. */
class SseClient {
  readonly messages: SseMessage[] = [];
  ended = false;
  private readonly abort = new AbortController();
  private buffer = '';
  private waiters: (() => void)[] = [];

  static async connect(url: string): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(url, { signal: client.abort.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    void client.read(response.body!.getReader());
    return client;
  }

  async next(count: number, timeoutMs = 5_000): Promise<SseMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (this.ended || Date.now() > deadline)
        throw new Error(`got ${this.messages.length} of ${count} messages`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.messages.slice(0, count);
  }

  close(): void {
    this.abort.abort();
  }

  async waitForEnd(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          const message: SseMessage = {};
          for (const line of block.split('\n')) {
            const match = /^(event|id|data): (.*)$/.exec(line);
            if (match) message[match[1] as keyof SseMessage] = match[2];
          }
          if (message.data !== undefined) this.messages.push(message);
        }
        this.waiters.splice(0).forEach((wake) => wake());
      }
    } catch {
      // aborted by close()
    } finally {
      this.ended = true;
    }
  }
}

describe('GET /api/v1/events/stream', () => {
  let sut: ApiTestApp;
  let producer: Producer;
  let closed = false;

  beforeAll(async () => {
    sut = await startApiTestApp();
    producer = await sut.log.producer();
  });
  afterAll(async () => {
    await producer.close();
    if (!closed) await sut.close();
  });

  const publish = (...events: StatusCloudEvent[]) =>
    producer.send(
      events.map((event) => ({
        topic: Topics.statusEvents,
        key: event.data.runId,
        value: JSON.stringify(event),
        headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
      })),
    );

  it('delivers status events to every client, each filtered by run id or workflow id', async () => {
    const onlyA = await SseClient.connect(`${sut.base}/api/v1/events/stream?runId=run-a`);
    const everything = await SseClient.connect(`${sut.base}/api/v1/events/stream`);
    const otherWorkflow = await SseClient.connect(`${sut.base}/api/v1/events/stream?workflowId=other`);

    await publish(statusEvent('run-b', 1, 'running'), statusEvent('run-a', 1, 'running'));
    await publish(statusEvent('run-a', 2, 'succeeded'));

    const [first, second] = await onlyA.next(2);
    expect(first).toEqual({
      event: 'io.baton.run.running',
      id: 'run-a/1',
      data: JSON.stringify(statusEvent('run-a', 1, 'running')),
    });
    expect(second).toMatchObject({ event: 'io.baton.run.succeeded', id: 'run-a/2' });

    const all = await everything.next(3);
    expect(all.map((m) => m.id).sort()).toEqual(['run-a/1', 'run-a/2', 'run-b/1']);
    expect(onlyA.messages).toHaveLength(2);
    expect(otherWorkflow.messages).toHaveLength(0);

    for (const client of [onlyA, everything, otherWorkflow]) client.close();
  });

  it('skips a malformed record and keeps streaming', async () => {
    const client = await SseClient.connect(`${sut.base}/api/v1/events/stream?runId=run-c`);
    await producer.send([{ topic: Topics.statusEvents, key: 'run-c', value: 'not json' }]);
    await publish(statusEvent('run-c', 1, 'running'));
    expect((await client.next(1))[0].id).toBe('run-c/1');
    client.close();
  });

  it('drops a client once it disconnects', async () => {
    // Clients subscribe to the bus; nothing else in the API does, so it is observed exactly while one is connected.
    const events = sut.app.get(EventBus).subject$;
    const client = await SseClient.connect(`${sut.base}/api/v1/events/stream`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.observed).toBe(true);
    client.close();
    const deadline = Date.now() + 2_000;
    while (events.observed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.observed).toBe(false);
  });

  it('answers 400 to an unknown query parameter', async () => {
    const response = await fetch(`${sut.base}/api/v1/events/stream?colour=red`);
    expect(response.status).toBe(400);
  });

  it('ends open streams when the application shuts down', async () => {
    const client = await SseClient.connect(`${sut.base}/api/v1/events/stream`);
    closed = true;
    await sut.close();
    await client.waitForEnd();
  });
});
