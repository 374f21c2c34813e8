import type { OnApplicationBootstrap, OnModuleDestroy, Provider } from '@nestjs/common';
import type { TopicLayout } from '@baton/contracts';
import type { EventLog } from '@baton/eventlog';
import { batonLogger, MetricsRegistry, type BatonLogger } from '@baton/observability';
import {
  CLOCK,
  EVENT_LOG,
  PLATFORM_CONFIG,
  SQL_CLIENT,
  type Clock,
  type PlatformConfig,
} from '@baton/platform';
import type { SqlClient } from '@baton/sql';

/** A projector: reads the log, writes the read model, started and stopped with the application. */
interface Projector {
  start(): Promise<void>;
  stop(): Promise<void>;
}

type ProjectorClass<P extends Projector> = new (
  log: EventLog,
  sql: SqlClient,
  clock: Clock,
  registry: MetricsRegistry,
  logger: BatonLogger,
  options: { readonly topics: TopicLayout },
) => P;

/**
 * Starts the projector once the application is up and stops it when modules
 * are destroyed, i.e. before `PlatformModule` closes the log and the database
 * (on application shutdown), so its consumer leaves its group cleanly.
 */
class ProjectorLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly projector: Projector) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.projector.stop();
  }
}

/**
 * The providers of one projector of a Baton process (`PlatformModule` and
 * `ObservabilityModule` are global): the projector on the platform's log,
 * database, clock and topic layout, logging as `context`, and its lifecycle.
 */
export function projectorProviders<P extends Projector>(
  projector: ProjectorClass<P>,
  context: string,
): Provider[] {
  const lifecycle = Symbol(`${context}Lifecycle`);
  return [
    {
      provide: projector,
      inject: [EVENT_LOG, SQL_CLIENT, CLOCK, MetricsRegistry, PLATFORM_CONFIG],
      useFactory: (
        log: EventLog,
        sql: SqlClient,
        clock: Clock,
        registry: MetricsRegistry,
        config: PlatformConfig,
      ) => new projector(log, sql, clock, registry, batonLogger(context), { topics: config.topics }),
    },
    { provide: lifecycle, inject: [projector], useFactory: (p: P) => new ProjectorLifecycle(p) },
  ];
}
