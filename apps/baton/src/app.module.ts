import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@baton/observability';

/** The all-in-one process: every Baton service in one Nest application on the embedded default. */
@Module({
  imports: [ObservabilityModule.forService('baton')],
})
export class AppModule {}
