import { type DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { waitUntil } from '@baton/eventlog/testing/wait-until';
import { JsonLogger, MetricsRegistry } from '@baton/observability';
import { CLOCK, EVENT_LOG, systemClock } from '@baton/platform';
import { defaultStepRuntimeTable, HandlerRegistry } from '../runtimes';
import { ExecutorPoolModule } from './executor-pool.module';
import { LAYOUT, PoolHarness, sleep, taskFor } from './testing/pool-fixtures';

describe('ExecutorPoolModule', () => {
  let harness: PoolHarness;

  beforeEach(async () => {
    harness = await PoolHarness.open();
  });

  afterEach(async () => {
    await harness.close();
  });

  function platform(): DynamicModule {
    class TestPlatformModule {}
    const providers = [
      { provide: EVENT_LOG, useValue: harness.log },
      { provide: CLOCK, useValue: systemClock },
      { provide: MetricsRegistry, useValue: harness.metrics },
      { provide: JsonLogger, useValue: JsonLogger.create({}, 'silent') },
    ];
    return { module: TestPlatformModule, global: true, providers, exports: providers.map((p) => p.provide) };
  }

  it('starts the pool with the application and stops it gracefully on close', async () => {
    const handlers = new HandlerRegistry().register('nap', async () => {
      await sleep(200);
      return 'rested';
    });
    const app = await Test.createTestingModule({
      imports: [
        platform(),
        ExecutorPoolModule.forPool({
          pool: 'default',
          slots: 1,
          executorId: 'nest-1',
          topics: LAYOUT,
          runtimes: defaultStepRuntimeTable(handlers),
        }),
      ],
    }).compile();
    await app.init();

    await harness.publish(taskFor('handler', { name: 'nap' }));
    await waitUntil(async () => (await harness.commandsOf('ReportStepStarted')).length === 1, {
      message: 'started',
    });
    await app.close();

    const commands = await harness.commands();
    expect(commands.map((command) => command.type)).toEqual(['ReportStepStarted', 'CompleteStep']);
    expect(commands[1]).toMatchObject({ executorId: 'nest-1', result: 'rested' });
  });
});
