import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CqrsModule, EventBus } from '@nestjs/cqrs';
import type { EventLog } from '@baton/eventlog';
import { batonLogger, HealthService, MetricsRegistry } from '@baton/observability';
import {
  CLOCK,
  EVENT_LOG,
  PLATFORM_CONFIG,
  SECRET_SEALER,
  SQL_CLIENT,
  type Clock,
  type PlatformConfig,
} from '@baton/platform';
import type { SqlClient } from '@baton/sql';
import { RegistryClient, RunQueries, WorkflowQueueQueries, WorkflowRegistry } from '@baton/readmodel';
import { TokenStore } from '@baton/auth';
import { ApiAuthGuard } from './auth/api-auth.guard';
import { AUTH_PROVIDERS } from './auth/auth.providers';
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
import { RunsController } from './runs/runs.controller';
import { RUN_HANDLERS } from './runs/run.handlers';
import type { SecretSealer } from '@baton/contracts';
import type { DefinitionLimits } from '@baton/definitions';
import type { ApiConfig } from './api.config';
import { StatusEventsController } from './status-events/status-events.controller';
import { StatusEventsHub } from './status-events/status-events.hub';
import { MissedStatusEventsHandler } from './status-events/queries/missed-status-events.handler';
import { WorkflowsController } from './workflows/workflows.controller';
import { WorkflowsService } from './workflows/workflows.service';
import { WorkflowCommandPublisher } from './workflows/workflow-command-publisher';
import { SignalsController } from './signals/signals.controller';
import { SIGNALS_PROVIDERS } from './signals/signals.providers';
import { WorkflowQueueController } from './workflows/workflow-queue.controller';
import { WorkflowQueueApiService } from './workflows/workflow-queue.service';
import { WORKFLOW_HANDLERS, WORKFLOW_QUEUE_HANDLERS } from './workflows/workflow.handlers';
import { MaestroImportController } from './import/maestro-import.controller';
import { MaestroImportService } from './import/maestro-import.service';
import { ImportMaestroWorkflowHandler } from './import/commands/import-maestro-workflow.handler';
import { AUTH_HANDLERS } from './auth/auth.handlers';

/** The `BATON_LIMIT_*` bounds pushed documents are checked against (`ApiConfig.definitionLimits`). */
const DEFINITION_LIMITS = Symbol('DefinitionLimits');

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
 * `configureApi(app, config.http)` before `listen`: it installs the raw body reader for
 * workflow documents, the validation pipe and the OpenAPI document.
 *
 * @example
 *   const config = { ...loadServiceConfig(process.env, 'api', 8080), api: loadApiConfig(process.env) };
 *   @Module({ imports: [ObservabilityModule.forService('api'), PlatformModule.forRoot(migrate, config.platform),
 *                       ApiModule.forRoot(config.api)] })
 *   class ApiAppModule {}
 *   const app = await NestFactory.create(ApiAppModule);
 *   configureApi(app, config.api.http);
 *   await app.listen(8080);
 */
@Module({
  // The in-process buses at the edge: one handler per operator action and read-model query (see *.handlers.ts).
  imports: [CqrsModule.forRoot()],
  controllers: [...API_CONTROLLERS],
  providers: [
    { provide: ID_GENERATOR, useValue: randomIds },
    { provide: ApiMetrics, inject: [MetricsRegistry], useFactory: (r: MetricsRegistry) => new ApiMetrics(r) },
    ApiMetricsInterceptor,
    SecretMaskInterceptor,
    ApiExceptionFilter,
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
      inject: [EVENT_LOG, EventBus, ID_GENERATOR],
      useFactory: (log: EventLog, bus: EventBus, ids: IdGenerator) =>
        new StatusEventsHub(log, bus, `baton-api-status-${ids.next()}`, batonLogger('StatusEvents')),
    },
    {
      provide: WorkflowsService,
      inject: [WorkflowRegistry, RegistryClient, DEFINITION_LIMITS],
      useFactory: (registry: WorkflowRegistry, commands: RegistryClient, limits: DefinitionLimits) =>
        new WorkflowsService(registry, commands, limits),
    },
    {
      provide: MaestroImportService,
      inject: [WorkflowsService, DEFINITION_LIMITS],
      useFactory: (workflows: WorkflowsService, limits: DefinitionLimits) =>
        new MaestroImportService(workflows, limits),
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
    ...SIGNALS_PROVIDERS,
    ...RUN_HANDLERS,
    ...WORKFLOW_HANDLERS,
    ...WORKFLOW_QUEUE_HANDLERS,
    ...AUTH_HANDLERS,
    ImportMaestroWorkflowHandler,
    MissedStatusEventsHandler,
    ApiLifecycle,
  ],
  exports: [StatusEventsHub, StorageState, TokenStore, AUTH_CONFIG],
})
export class ApiModule {
  /** The API with the process's `ApiConfig` (authentication, definition limits). */
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      providers: [
        { provide: AUTH_CONFIG, useValue: config.auth },
        { provide: DEFINITION_LIMITS, useValue: config.definitionLimits },
      ],
    };
  }
}
