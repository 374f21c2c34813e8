import { Global, type INestApplication, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topics } from '@baton/contracts';
import { EmbeddedEventLog, type LogRecord } from '@baton/eventlog';
import { MetricsRegistry, ObservabilityModule } from '@baton/observability';
import { CLOCK, EVENT_LOG, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@baton/platform';
import { configureApi } from '../configure-api';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { ApiMetricsInterceptor } from '../http/api-metrics.interceptor';
import { ApiMetrics } from '../http/api.metrics';
import { ID_GENERATOR, type IdGenerator } from '../ids';
import { SignalsController } from './signals.controller';
import { SIGNALS_PROVIDERS } from './signals.providers';
import { AUTH_OFF_PROVIDERS, DEFAULT_HTTP_SECURITY } from '../testing/api-test-app';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

/**
 * `POST /api/v1/signals` over real HTTP and a real embedded log, in a module
 * holding what `ApiModule` registers for signals (the controller and
 * `SIGNALS_PROVIDERS`, over the command bus) next to the API's HTTP plumbing.
 */
describe('POST /api/v1/signals', () => {
  let dir: string;
  let log: EmbeddedEventLog;
  let app: INestApplication;
  let base: string;
  let nextId: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-api-signals-'));
    log = await EmbeddedEventLog.open({ dir });
    const clock: Clock = { now: () => NOW };
    const ids: IdGenerator = { next: () => `generated-${++nextId}` };
    const config = { topics: { runPartitions: 2, requestPartitions: 2 } } as PlatformConfig;

    @Global()
    @Module({
      providers: [
        { provide: EVENT_LOG, useValue: log },
        { provide: CLOCK, useValue: clock },
        { provide: PLATFORM_CONFIG, useValue: config },
      ],
      exports: [EVENT_LOG, CLOCK, PLATFORM_CONFIG],
    })
    class TestPlatform {}

    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forService('signals-test'), TestPlatform, CqrsModule.forRoot()],
      controllers: [SignalsController],
      providers: [
        { provide: ID_GENERATOR, useValue: ids },
        {
          provide: ApiMetrics,
          inject: [MetricsRegistry],
          useFactory: (r: MetricsRegistry) => new ApiMetrics(r),
        },
        ApiMetricsInterceptor,
        ApiExceptionFilter,
        ...AUTH_OFF_PROVIDERS,
        ...SIGNALS_PROVIDERS,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false, forceCloseConnections: true });
    configureApi(app, DEFAULT_HTTP_SECURITY);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  beforeEach(() => {
    nextId = 0;
  });

  afterAll(async () => {
    await app.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (body: unknown) => {
    const response = await fetch(`${base}/api/v1/signals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  async function signals(): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    for (let p = 0; p < (await log.partitionCount(Topics.signals)); p++) {
      for await (const record of log.readPartition(Topics.signals, p)) out.push(record);
    }
    return out;
  }

  it('publishes a SignalSent keyed by name and answers 202 with the signal id given', async () => {
    const answer = await post({
      name: 'table.loaded',
      params: { table: 'sales' },
      signalId: 'sales-2026-01-02',
    });
    expect(answer).toEqual({ status: 202, body: { signalId: 'sales-2026-01-02' } });
    const record = (await signals()).find((r) => JSON.parse(r.value!).signalId === 'sales-2026-01-02')!;
    expect(record.key).toBe('table.loaded');
    expect(JSON.parse(record.value!)).toEqual({
      type: 'SignalSent',
      signalId: 'sales-2026-01-02',
      name: 'table.loaded',
      params: { table: 'sales' },
      sentAt: NOW,
      sentBy: 'anonymous',
    });
  });

  it('makes a signal id when none is given, and defaults params to {}', async () => {
    const answer = await post({ name: 'ping' });
    expect(answer).toEqual({ status: 202, body: { signalId: 'generated-1' } });
    const record = (await signals()).find((r) => r.key === 'ping')!;
    expect(JSON.parse(record.value!)).toMatchObject({ signalId: 'generated-1', params: {} });
  });

  it('takes a name with slashes (Maestro-style names)', async () => {
    const answer = await post({ name: 'warehouse/sales/loaded', signalId: 'slashes' });
    expect(answer.status).toBe(202);
    expect((await signals()).find((r) => r.key === 'warehouse/sales/loaded')).toBeDefined();
  });

  it.each<[string, unknown, string[]]>([
    ['no name', { params: {} }, ['$.name']],
    ['a name that is not one', { name: '9 lives' }, ['$.name']],
    ['params that are not an object', { name: 'a', params: [1] }, ['$.params']],
    ['a signal id with a space', { name: 'a', signalId: 'a b' }, ['$.signalId']],
    ['a field Baton does not know', { name: 'a', signal_id: 'x' }, ['$.signal_id']],
  ])('refuses %s with 400 and the path, publishing nothing', async (_, body, paths) => {
    const before = (await signals()).length;
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect([...new Set((answer.body.errors as { path: string }[]).map((e) => e.path))]).toEqual(paths);
    expect(await signals()).toHaveLength(before);
  });
});
