import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonLogger } from '@baton/observability';

/** Loopback unless BATON_HOST says otherwise. */
export const DEFAULT_HOST = '127.0.0.1';

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
 * an HTTP listener on `BATON_HOST` (default 127.0.0.1: loopback only, so a
 * laptop's `npm start` is not reachable from the network; containers set
 * 0.0.0.0).
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
  const host = process.env.BATON_HOST || DEFAULT_HOST;
  await app.listen(port, host);
  logger.log(`${options.service} listening on http://${displayHost(host)}:${port}`, 'Bootstrap');
  return app;
}

/** A URL host for the log line: an IPv6 address in brackets, a wildcard as the loopback name a browser reaches. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return `localhost (all interfaces, ${host})`;
  return host.includes(':') ? `[${host}]` : host;
}
