import { type DynamicModule, Module } from '@nestjs/common';
import { ApiModule, type ApiConfig } from '@baton/api';
import { ArchiverModule, type ArchiveConfig } from '@baton/archive';
import { EngineModule, type EngineModuleOptions } from '@baton/engine';
import { ExecutorPoolModule, executorPool, type ExecutorPoolConfig } from '@baton/executor';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule, type PlatformConfig } from '@baton/platform';
import { migrate } from '@baton/readmodel';
import { ProjectorModule } from '@baton/projector';
import { exampleHandlers } from './example-handlers';
import { EXAMPLES_DIR, ExamplesLoader } from './examples.loader';
import { LocalAdminToken } from './local-admin-token';

export interface AllInOneOptions {
  readonly platform: PlatformConfig;
  /** The lease (`BATON_LEASE_MS`) lives here only: the default pool's executor uses the one each task carries. */
  readonly engine: EngineModuleOptions;
  readonly api: ApiConfig;
  readonly archive: ArchiveConfig;
  /** The default pool: slots, shell and HTTP sandboxing, where `file:` and `env:` secret references are read. */
  readonly executor: ExecutorPoolConfig;
  /** Workflows pushed on start; null for none. */
  readonly examplesDir: string | null;
}

/**
 * The all-in-one process: API, engine, projector, archiver and a default executor pool
 * in one Nest application, composed from the same modules the separate
 * processes use. On the embedded default it needs no server at all.
 */
@Module({})
export class AppModule {
  static forOptions(options: AllInOneOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('baton'),
        PlatformModule.forRoot(migrate, options.platform),
        EngineModule.forRoot(options.engine),
        ProjectorModule,
        ArchiverModule.forRoot(options.archive),
        ApiModule.forRoot(options.api),
        ExecutorPoolModule.forPool(executorPool(options.executor, exampleHandlers())),
      ],
      providers: [{ provide: EXAMPLES_DIR, useValue: options.examplesDir }, ExamplesLoader, LocalAdminToken],
    };
  }
}
