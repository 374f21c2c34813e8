import type { LogSettings } from '@baton/observability';
import { readEnvironment, ServiceEnvironment, type Environment } from './environment';
import { loadPlatformConfig, type PlatformConfig } from './platform.config';

/** Loopback unless BATON_HOST says otherwise. */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * What every Baton service process is configured with: its name, where it
 * listens (`BATON_PORT`, `BATON_HOST`), how it logs and where its log and
 * database are. Each `apps/*` config extends it with its own modules' parts.
 */
export interface ServiceConfig {
  /** Names the process in logs and metrics. */
  readonly service: string;
  readonly http: { readonly port: number; readonly host: string };
  readonly log: LogSettings;
  readonly platform: PlatformConfig;
}

/** The `ServiceConfig` of `service` (HTTP port `defaultPort` when BATON_PORT is unset), read from `env` once. */
export function loadServiceConfig(env: Environment, service: string, defaultPort: number): ServiceConfig {
  const vars = readEnvironment(ServiceEnvironment, env);
  return {
    service,
    http: { port: vars.BATON_PORT ?? defaultPort, host: vars.BATON_HOST ?? DEFAULT_HOST },
    log: {
      level: vars.BATON_LOG_LEVEL ?? 'info',
      format: vars.BATON_LOG_FORMAT ?? 'auto',
      color: vars.NO_COLOR === undefined,
    },
    platform: loadPlatformConfig(env),
  };
}
