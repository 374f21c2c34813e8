import type { BatonLogger } from '@baton/observability';
import { EventBus } from '@nestjs/cqrs';
import { Subject, toArray, firstValueFrom } from 'rxjs';
import type { StatusCloudEvent } from '@baton/contracts';
import type { Batch, ConsumerOptions, EventLog } from '@baton/eventlog';
import { StatusEventReceived } from './status-event-received.event';
import { StatusEventsHub } from './status-events.hub';

/** A status event of `runId` (of workflow `workflowId`) as the log holds it. */
function statusEvent(runId: string, seq: number, workflowId = 'etl'): StatusCloudEvent {
  return {
    id: `${runId}/${seq}`,
    type: 'io.baton.run.running',
    data: { runId, workflowId },
  } as StatusCloudEvent;
}

describe('StatusEventsHub', () => {
  function given() {
    // The bus as `CqrsModule` makes it: an observable of everything published.
    const bus = new Subject<unknown>();
    const published: unknown[] = [];
    const eventBus = {
      publish: (event: unknown) => {
        published.push(event);
        bus.next(event);
      },
      pipe: bus.pipe.bind(bus),
    } as unknown as EventBus;
    let eachBatch: ConsumerOptions['eachBatch'] | null = null;
    const log = {
      consumer: (options: ConsumerOptions) => {
        eachBatch = options.eachBatch;
        return { start: async () => undefined, stop: async () => undefined };
      },
    } as unknown as EventLog;
    const warnings: string[] = [];
    const logger = { warn: (message: string) => void warnings.push(message) } as unknown as BatonLogger;
    const sut = new StatusEventsHub(log, eventBus, 'group', logger);
    const deliver = async (...values: (string | null)[]) =>
      eachBatch!({
        records: values.map((value, offset) => ({
          topic: 'baton.status-events',
          partition: 0,
          offset,
          value,
        })),
      } as unknown as Batch);
    return { sut, published, warnings, deliver };
  }

  it('publishes each status event read from the log on the event bus', async () => {
    const { sut, published, deliver } = given();
    await sut.start();
    await deliver(JSON.stringify(statusEvent('run-1', 1)));
    expect(published).toEqual([new StatusEventReceived(statusEvent('run-1', 1))]);
  });

  it("gives each stream the bus's events it asked for, and completes them at stop", async () => {
    const { sut, deliver } = given();
    await sut.start();
    const ofRun = firstValueFrom(sut.stream({ runId: 'run-2' }).pipe(toArray()));
    const inScope = firstValueFrom(sut.stream({ workflowPrefixes: ['sales.'] }).pipe(toArray()));
    await deliver(
      JSON.stringify(statusEvent('run-1', 1)),
      JSON.stringify(statusEvent('run-2', 1)),
      JSON.stringify(statusEvent('run-3', 1, 'sales.daily')),
    );
    await sut.stop();
    expect((await ofRun).map((event) => event.id)).toEqual(['run-2/1']);
    expect((await inScope).map((event) => event.id)).toEqual(['run-3/1']);
    // A client that connects after stop gets an ended stream at once.
    expect(await firstValueFrom(sut.stream({}).pipe(toArray()))).toEqual([]);
  });

  it('skips a malformed record with a warning and goes on', async () => {
    const { sut, published, warnings, deliver } = given();
    await sut.start();
    await deliver('not json', null, JSON.stringify({ id: 'x' }), JSON.stringify(statusEvent('run-1', 2)));
    expect(published).toEqual([new StatusEventReceived(statusEvent('run-1', 2))]);
    expect(warnings).toHaveLength(3);
  });
});
