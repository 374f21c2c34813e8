import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonLogger } from '@baton/observability';

export interface ServiceBootstrap {
  /** Names the process in logs and metrics. */
  readonly service: string;
  /** HTTP port when BATON_PORT is unset (each service serves at least /health and /metrics). */
  readonly defaultPort: number;
  /** Extra setup before listening (the API's pipes, body parsers, OpenAPI). */
  readonly configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts a Baton process: JSON logs, graceful shutdown on SIGTERM/SIGINT (the
 * services leave their consumer groups, then the log and database close), and
 * an HTTP listener.
 */
export async function bootstrapService(
  module: Type<unknown> | DynamicModule,
  options: ServiceBootstrap,
): Promise<INestApplication> {
  const logger = JsonLogger.create({ service: options.service });
  JsonLogger.useForProcess(logger);
  // forceCloseConnections: SSE clients hold connections open; shutdown must not wait for them.
  const app = await NestFactory.create(module, { logger, forceCloseConnections: true });
  app.enableShutdownHooks();
  await options.configure?.(app);
  const port = Number(process.env.BATON_PORT ?? options.defaultPort);
  await app.listen(port, '0.0.0.0');
  logger.log(`${options.service} listening on http://localhost:${port}`, 'Bootstrap');
  return app;
}
