import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { JsonLogger } from '@baton/observability';
import { AppModule } from './app.module';
import { loadConfig } from './baton.config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = JsonLogger.create({ service: 'baton' });
  const app = await NestFactory.create(AppModule, { logger });
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  logger.log(`Baton listening on http://localhost:${config.port} (data in ${config.dataDir})`, 'Bootstrap');
}

void bootstrap();
