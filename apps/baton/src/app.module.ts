import { type DynamicModule, Module } from '@nestjs/common';
import { ApiModule } from '@baton/api';
import { ArchiverModule } from '@baton/archive';
import { EngineModule } from '@baton/engine';
import { ExecutorPoolModule, type StepRuntimesOptions } from '@baton/executor';
import { ObservabilityModule } from '@baton/observability';
import { PlatformModule, type PlatformConfig } from '@baton/platform';
import { migrate } from '@baton/readmodel';
import { ProjectorModule } from '@baton/projector';
import { exampleHandlers } from './example-handlers';
import { EXAMPLES_DIR, ExamplesLoader } from './examples.loader';
import { LocalAdminToken } from './local-admin-token';

export interface AllInOneOptions {
  readonly platform: PlatformConfig;
  /** Workflows pushed on start; null for none. */
  readonly examplesDir: string | null;
  readonly executorSlots: number;
  /** Lease the default pool's executor holds per attempt (how soon a lost attempt is retried). */
  readonly leaseMs: number;
  /** The default pool's shell and HTTP sandboxing, and where `file:` secret references live. */
  readonly runtimes?: StepRuntimesOptions;
  readonly secretFilesDir?: string;
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
        EngineModule,
        ProjectorModule,
        ArchiverModule,
        ApiModule,
        ExecutorPoolModule.forPool({
          pool: 'default',
          slots: options.executorSlots,
          handlers: exampleHandlers(),
          ...(options.runtimes === undefined ? {} : { runtimes: options.runtimes }),
          ...(options.secretFilesDir === undefined ? {} : { secretFilesDir: options.secretFilesDir }),
        }),
      ],
      providers: [{ provide: EXAMPLES_DIR, useValue: options.examplesDir }, ExamplesLoader, LocalAdminToken],
    };
  }
}
