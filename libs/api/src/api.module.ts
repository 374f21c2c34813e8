import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventLog } from '@baton/eventlog';
import { HealthService, MetricsRegistry } from '@baton/observability';
import {
  CLOCK,
  EVENT_LOG,
  PLATFORM_CONFIG,
  SECRET_SEALER,
  SQL_CLIENT,
  type Clock,
  type PlatformConfig,
} from '@baton/platform';
import {
  RegistryClient,
  RunQueries,
  WorkflowQueueQueries,
  WorkflowRegistry,
  type SqlClient,
} from '@baton/readmodel';
import { TokenStore } from '@baton/auth';
import { ApiAuthGuard } from './auth/api-auth.guard';
import { AUTH_CONFIG_FROM_ENV, AUTH_PROVIDERS } from './auth/auth.providers';
import { AUTH_CONFIG } from './auth/auth.tokens';
import { TokensController } from './auth/tokens.controller';
import { WhoAmIController } from './auth/whoami.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { StorageState } from './http/storage-state';
import { ApiMetricsInterceptor } from './http/api-metrics.interceptor';
import { SecretMaskInterceptor } from './http/secret-mask.interceptor';
import { ApiMetrics } from './http/api.metrics';
import { ID_GENERATOR, randomIds, type IdGenerator } from './ids';
import { ParamSealer } from './runs/param-sealer';
import { RunPublisher } from './runs/run-publisher';
import { RunActionsController } from './runs/run-actions.controller';
import { RunActionsService } from './runs/run-actions.service';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { EVENT_ARCHIVE, type EventArchive } from '@baton/archive';
import type { SecretSealer } from '@baton/contracts';
import { definitionLimitsFromEnv } from '@baton/definitions';
import { StatusEventsController } from './status-events/status-events.controller';
import { StatusEventsHub } from './status-events/status-events.hub';
import { WorkflowsController } from './workflows/workflows.controller';
import { WorkflowsService } from './workflows/workflows.service';
import { WorkflowCommandPublisher } from './workflows/workflow-command-publisher';
import { SignalsController } from './signals/signals.controller';
import { SIGNALS_PROVIDERS } from './signals/signals.providers';
import { WorkflowQueueController } from './workflows/workflow-queue.controller';
import { WorkflowQueueApiService } from './workflows/workflow-queue.service';
import { MaestroImportController } from './import/maestro-import.controller';
import { MaestroImportService } from './import/maestro-import.service';

/** Opens the producer and the status consumer with the application; stops them before the platform closes the log. */
class ApiLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(RunPublisher) private readonly publisher: RunPublisher,
    @Inject(StatusEventsHub) private readonly hub: StatusEventsHub,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Topics first (the publisher ensures them), then the consumer that reads one.
    await this.publisher.open();
    await this.hub.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.hub.stop();
    await this.publisher.close();
  }
}

/** Every controller of the API, one list: the module serves them and the role-table spec checks them. */
export const API_CONTROLLERS = [
  WorkflowsController,
  RunsController,
  StatusEventsController,
  WorkflowQueueController,
  SignalsController,
  RunActionsController,
  TokensController,
  WhoAmIController,
  MaestroImportController,
] as const;

/**
 * Baton's REST API (`/api/v1/...`) and its SSE stream, for any app to
 * import next to `PlatformModule` (EVENT_LOG, SQL_CLIENT, CLOCK,
 * PLATFORM_CONFIG) and `ObservabilityModule` (MetricsRegistry). Call
 * `configureApi(app)` before `listen`: it installs the raw body reader for
 * workflow documents, the validation pipe and the OpenAPI document.
 *
 * @example
 *   @Module({ imports: [ObservabilityModule.forService('api'), PlatformModule.forRoot(), ApiModule] })
 *   class ApiAppModule {}
 *   const app = await NestFactory.create(ApiAppModule);
 *   configureApi(app);
 *   await app.listen(8080);
 */
@Module({
  controllers: [...API_CONTROLLERS],
  providers: [
    { provide: ID_GENERATOR, useValue: randomIds },
    { provide: ApiMetrics, inject: [MetricsRegistry], useFactory: (r: MetricsRegistry) => new ApiMetrics(r) },
    ApiMetricsInterceptor,
    SecretMaskInterceptor,
    ApiExceptionFilter,
    AUTH_CONFIG_FROM_ENV,
    ...AUTH_PROVIDERS,
    ApiAuthGuard,
    {
      provide: ParamSealer,
      inject: [{ token: SECRET_SEALER, optional: true }],
      useFactory: (sealer?: SecretSealer | null) => new ParamSealer(sealer ?? null),
    },
    {
      provide: StorageState,
      inject: [CLOCK, { token: HealthService, optional: true }],
      useFactory: (clock: Clock, health?: HealthService) => {
        const storage = new StorageState(() => clock.now());
        // Not ready while writes meet a full disk, so a balancer stops sending them here.
        health?.register('storage', () =>
          storage.full ? { ok: false, detail: 'storage full (ENOSPC)' } : { ok: true },
        );
        return storage;
      },
    },
    {
      provide: WorkflowRegistry,
      inject: [SQL_CLIENT, CLOCK],
      useFactory: (sql: SqlClient) => new WorkflowRegistry(sql),
    },
    {
      provide: RegistryClient,
      inject: [WorkflowRegistry, WorkflowCommandPublisher, CLOCK, ID_GENERATOR],
      useFactory: (
        registry: WorkflowRegistry,
        publisher: WorkflowCommandPublisher,
        clock: Clock,
        ids: IdGenerator,
      ) =>
        new RegistryClient(registry, {
          send: (command) => publisher.send(command),
          commandId: (action) => `api-${action}/${ids.next()}`,
          now: () => clock.now(),
        }),
    },
    { provide: RunQueries, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => new RunQueries(sql) },
    {
      provide: RunPublisher,
      inject: [EVENT_LOG, PLATFORM_CONFIG],
      useFactory: (log: EventLog, config: PlatformConfig) => new RunPublisher(log, config.topics),
    },
    {
      provide: StatusEventsHub,
      inject: [EVENT_LOG, ID_GENERATOR],
      useFactory: (log: EventLog, ids: IdGenerator) =>
        new StatusEventsHub(log, `baton-api-status-${ids.next()}`, new Logger('StatusEvents')),
    },
    {
      provide: WorkflowsService,
      inject: [WorkflowRegistry, RegistryClient],
      // Read once at start: a bad BATON_LIMIT_* value stops the process with its name.
      useFactory: (registry: WorkflowRegistry, commands: RegistryClient) =>
        new WorkflowsService(registry, commands, definitionLimitsFromEnv(process.env)),
    },
    {
      provide: MaestroImportService,
      inject: [WorkflowsService],
      useFactory: (workflows: WorkflowsService) =>
        new MaestroImportService(workflows, definitionLimitsFromEnv(process.env)),
    },
    {
      provide: RunsService,
      inject: [
        WorkflowRegistry,
        RunQueries,
        RunPublisher,
        CLOCK,
        ID_GENERATOR,
        { token: EVENT_ARCHIVE, optional: true },
        ParamSealer,
      ],
      useFactory: (
        registry: WorkflowRegistry,
        queries: RunQueries,
        publisher: RunPublisher,
        clock: Clock,
        ids: IdGenerator,
        archive: EventArchive | undefined,
        secrets: ParamSealer,
      ) => new RunsService(registry, queries, publisher, clock, ids, archive ?? null, secrets),
    },
    {
      provide: WorkflowQueueQueries,
      inject: [SQL_CLIENT],
      useFactory: (sql: SqlClient) => new WorkflowQueueQueries(sql),
    },
    {
      provide: WorkflowCommandPublisher,
      inject: [EVENT_LOG, PLATFORM_CONFIG],
      useFactory: (log: EventLog, config: PlatformConfig) => new WorkflowCommandPublisher(log, config.topics),
    },
    {
      provide: WorkflowQueueApiService,
      inject: [WorkflowRegistry, WorkflowQueueQueries, WorkflowCommandPublisher, CLOCK, ID_GENERATOR],
      useFactory: (
        registry: WorkflowRegistry,
        queries: WorkflowQueueQueries,
        publisher: WorkflowCommandPublisher,
        clock: Clock,
        ids: IdGenerator,
      ) => new WorkflowQueueApiService(registry, queries, publisher, clock, ids),
    },
    {
      provide: RunActionsService,
      inject: [
        RunQueries,
        WorkflowRegistry,
        RunPublisher,
        WorkflowCommandPublisher,
        CLOCK,
        ID_GENERATOR,
        ParamSealer,
      ],
      useFactory: (
        queries: RunQueries,
        registry: WorkflowRegistry,
        publisher: RunPublisher,
        workflowCommands: WorkflowCommandPublisher,
        clock: Clock,
        ids: IdGenerator,
        secrets: ParamSealer,
      ) => new RunActionsService(queries, registry, publisher, workflowCommands, clock, ids, secrets),
    },
    ...SIGNALS_PROVIDERS,
    ApiLifecycle,
  ],
  exports: [StatusEventsHub, StorageState, TokenStore, AUTH_CONFIG],
})
export class ApiModule {}
