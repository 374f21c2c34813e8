import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonLogger } from '@baton/observability';
import type { ServiceConfig } from './service-config';

export interface ServiceBootstrap extends Pick<ServiceConfig, 'service' | 'http' | 'log'> {
  /** Extra setup before listening (the API's pipes, body parsers, OpenAPI). */
  readonly configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts a Baton process: JSON logs, graceful shutdown on SIGTERM/SIGINT (the
 * services leave their consumer groups, then the log and database close), and
 * an HTTP listener on the config's host (`BATON_HOST`, default 127.0.0.1:
 * loopback only, so a laptop's `npm start` is not reachable from the network;
 * containers set 0.0.0.0). Every service serves at least /health and /metrics.
 */
export async function bootstrapService(
  module: Type<unknown> | DynamicModule,
  options: ServiceBootstrap,
): Promise<INestApplication> {
  const logger = JsonLogger.forService(options.service, options.log);
  JsonLogger.useForProcess(logger);
  // forceCloseConnections: SSE clients hold connections open; shutdown must not wait for them.
  const app = await NestFactory.create(module, { logger, forceCloseConnections: true });
  app.enableShutdownHooks();
  await options.configure?.(app);
  const { port, host } = options.http;
  await app.listen(port, host);
  logger.log(`${options.service} listening on http://${displayHost(host)}:${port}`, 'Bootstrap');
  return app;
}

/** A URL host for the log line: an IPv6 address in brackets, a wildcard as the loopback name a browser reaches. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return `localhost (all interfaces, ${host})`;
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The process config `load` builds (from the environment `main.ts` passes
 * in), or, when a setting is wrong, its message on stderr and exit code 2:
 * a bad value stops the start naming the variable, without a stack trace.
 */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    process.stderr.write(`baton: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
