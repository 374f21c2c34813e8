import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { JsonLogger } from '@baton/observability';
import { EngineAppModule } from './engine-app.module';

async function bootstrap(): Promise<void> {
  const logger = JsonLogger.create({ service: 'engine' });
  const app = await NestFactory.create(EngineAppModule, { logger });
  app.enableShutdownHooks();
  // Only /health and /metrics are served here.
  await app.listen(Number(process.env.BATON_PORT ?? 8081), '0.0.0.0');
}

void bootstrap();
