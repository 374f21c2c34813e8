import { DEFAULT_RUN_LIMITS } from '@baton/domain';
import { type DynamicModule, Global, type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretSealer } from '@baton/contracts';
import { EmbeddedEventLog, type LogRecord } from '@baton/eventlog';
import { ObservabilityModule } from '@baton/observability';
import {
  CLOCK,
  EVENT_LOG,
  PLATFORM_CONFIG,
  SECRET_SEALER,
  SQL_CLIENT,
  type Clock,
  type PlatformConfig,
} from '@baton/platform';
import { PGliteSqlClient } from '@baton/sql';
import { migrate } from '@baton/readmodel';
import { Authenticator, type AuthConfig } from '@baton/auth';
import type { Provider } from '@nestjs/common';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { ApiModule } from '../api.module';
import { AUTHENTICATOR, RATE_LIMITER } from '../auth/auth.tokens';
import { RunQueries } from '@baton/readmodel';
import { configureApi } from '../configure-api';
import { loadHttpSecurity } from '../http/http-security';
import { DEFAULT_DEFINITION_LIMITS } from '@baton/definitions';
import { WorkflowQueueModule } from '@baton/engine/workflow-queue/workflow-queue.module';
import { WorkflowQueueProjectorModule } from '@baton/projector/workflow-queue/workflow-queue-projector.module';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(public nowMs = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.nowMs;
  }
}

/** Stands in for `PlatformModule` with adapters the test owns. */
@Global()
@Module({})
class TestPlatformModule {
  static with(providers: {
    log: EmbeddedEventLog;
    sql: PGliteSqlClient;
    clock: Clock;
    config: PlatformConfig;
    sealer: SecretSealer;
  }) {
    return {
      module: TestPlatformModule,
      providers: [
        { provide: EVENT_LOG, useValue: providers.log },
        { provide: SQL_CLIENT, useValue: providers.sql },
        { provide: CLOCK, useValue: providers.clock },
        { provide: PLATFORM_CONFIG, useValue: providers.config },
        { provide: SECRET_SEALER, useValue: providers.sealer },
      ],
      exports: [EVENT_LOG, SQL_CLIENT, CLOCK, PLATFORM_CONFIG, SECRET_SEALER],
    } satisfies DynamicModule;
  }
}

export interface ApiTestApp {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly log: EmbeddedEventLog;
  readonly sql: PGliteSqlClient;
  readonly clock: FakeClock;
  /** Seals the API's secret params (a fresh key per app). */
  readonly sealer: SecretSealer;
  /** Every record of a topic, all partitions, in partition then offset order. */
  records(topic: string): Promise<LogRecord[]>;
  close(): Promise<void>;
}

/**
 * Authentication off: the specs of the API's behaviour call it without
 * tokens; `auth.api.spec.ts` turns it on and tests authentication itself.
 */
export const AUTH_OFF: AuthConfig = {
  enabled: false,
  adminTokenHash: null,
  oidc: null,
  mutationsPerMinute: 0,
};

/** The HTTP settings of a process with no `BATON_*` variable set (auth on, no CORS, 256 KiB bodies). */
export const DEFAULT_HTTP_SECURITY = loadHttpSecurity({});

/** What `ApiController`'s guard needs, auth off, for a spec that hosts one controller without `ApiModule`. */
export const AUTH_OFF_PROVIDERS: Provider[] = [
  {
    provide: AUTHENTICATOR,
    useValue: new Authenticator(AUTH_OFF, { verify: async () => null }, null, Date.now),
  },
  { provide: RATE_LIMITER, useValue: null },
  { provide: RunQueries, useValue: { workflowOfRun: async () => null } },
  ApiAuthGuard,
];

/**
 * The API as an app would host it (`configureApi`, real HTTP on a free port)
 * over a real embedded log in a temp dir and an in-memory PGlite, with the
 * workflow queue (the registry's writer) and its projector running, so
 * pushes are answered as in a Baton process; no engine runs. One per
 * spec file: PGlite takes seconds to start.
 */
export async function startApiTestApp(auth: AuthConfig = AUTH_OFF): Promise<ApiTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-api-'));
  const log = await EmbeddedEventLog.open({ dir: join(dir, 'log') });
  const sql = await PGliteSqlClient.open();
  await migrate(sql);
  const clock = new FakeClock();
  const sealer = new SecretSealer(SecretSealer.generateKey());
  const config: PlatformConfig = {
    dataDir: dir,
    eventLog: { kind: 'embedded', dir: join(dir, 'log') },
    database: { kind: 'pglite', dir: join(dir, 'db') },
    topics: { runPartitions: 4, requestPartitions: 2 },
    runLimits: DEFAULT_RUN_LIMITS,
    secrets: { keyFile: join(dir, 'secrets.key'), createKeyFile: false },
  };
  const moduleRef = await Test.createTestingModule({
    imports: [
      ObservabilityModule.forService('api-test'),
      TestPlatformModule.with({ log, sql, clock, config, sealer }),
      // The workflow's single writer and the projector that answer pushes and (de)activations.
      WorkflowQueueModule,
      WorkflowQueueProjectorModule,
      ApiModule.forRoot({ auth, http: DEFAULT_HTTP_SECURITY, definitionLimits: DEFAULT_DEFINITION_LIMITS }),
    ],
  }).compile();
  // undici may leave a connection open with no request on it (seen after an
  // aborted stream), which would hold `close` for the server's timeouts.
  const app = moduleRef.createNestApplication({ logger: false, forceCloseConnections: true });
  configureApi(app, DEFAULT_HTTP_SECURITY);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    base,
    log,
    sql,
    clock,
    sealer,
    async records(topic) {
      const out: LogRecord[] = [];
      const partitions = await log.partitionCount(topic);
      for (let p = 0; p < partitions; p++)
        for await (const record of log.readPartition(topic, p)) out.push(record);
      return out;
    },
    async close() {
      await app.close();
      await log.close();
      await sql.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
