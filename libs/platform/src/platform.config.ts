import { join, resolve } from 'node:path';
import type { TopicLayout } from '@baton/contracts';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '@baton/domain';
import { DEFAULT_SIGNAL_RETENTION, type SignalRetention } from '@baton/domain/signals';
import { kafkaSecurityFromEnv, type KafkaSasl, type KafkaTls } from '@baton/eventlog';
import { pgTlsFromEnv, type PgTls } from '@baton/sql';
import type { Environment } from './environment';
import type { SecretsConfig } from './secrets-key';

const FSYNC_MODES = ['batch', 'interval', 'never'] as const;
export type FsyncSetting = (typeof FSYNC_MODES)[number];

/**
 * Where a Baton process finds its log and its database, read once from the
 * environment each app's `main.ts` passes in (the README's configuration table lists every variable).
 *
 * - `BATON_EVENT_LOG=embedded` (default) keeps the log in `<dataDir>/log`;
 *   `kafka` talks to `BATON_KAFKA_BROKERS`.
 *   `BATON_FSYNC` (`batch` default, `interval`, `never`) and
 *   `BATON_FSYNC_INTERVAL_MS` say when the embedded log's writes reach the disk.
 *   `BATON_ACCEPT_EVENT_LOG=<log id>` lets a read model that knows another
 *   log (or runs the log does not) go on with this one, once (see docs/operations.md).
 * - `BATON_DATABASE_URL` set: PostgreSQL; unset: PGlite in `<dataDir>/db`.
 */
export interface PlatformConfig {
  readonly eventLog:
    | {
        readonly kind: 'embedded';
        readonly dir: string;
        /** Default `batch`. */
        readonly fsync?: FsyncSetting;
        readonly fsyncIntervalMs?: number;
        readonly acceptLogId?: string;
      }
    | ({
        readonly kind: 'kafka';
        readonly brokers: string[];
        /** `BATON_KAFKA_SSL*`, `BATON_KAFKA_SASL_*`: absent means plaintext, no authentication. */
        readonly ssl?: KafkaTls;
        readonly sasl?: KafkaSasl;
      } & KafkaGroupTimeouts);
  readonly database:
    | { readonly kind: 'pglite'; readonly dir: string }
    /** `ssl`: `BATON_DATABASE_SSL*`. */
    | { readonly kind: 'postgres'; readonly url: string; readonly ssl?: PgTls };
  readonly topics: TopicLayout;
  readonly dataDir: string;
  /** `BATON_LIMIT_MAX_FOREACH_ITERATIONS`, `BATON_LIMIT_MAX_NESTING_DEPTH`: enforced by the engine at run time. */
  readonly runLimits: RunLimits;
  /** The key that seals secret params; see `secrets-key.ts`. */
  readonly secrets: SecretsConfig;
  /** `BATON_SIGNAL_RETENTION_MS`, `BATON_SIGNAL_RETENTION_COUNT`: signals kept per name for later waits and joins. */
  readonly signalRetention?: SignalRetention;
}

/**
 * Consumer-group timing, which bounds how fast partitions move after a crash
 * (`BATON_KAFKA_SESSION_TIMEOUT_MS`, `_HEARTBEAT_INTERVAL_MS`,
 * `_REBALANCE_TIMEOUT_MS`; unset: the Kafka adapter's defaults, 10 s, 0.5 s, 20 s).
 */
export interface KafkaGroupTimeouts {
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly rebalanceTimeoutMs?: number;
}

export function loadPlatformConfig(env: Environment): PlatformConfig {
  const dataDir = resolve(env.BATON_DATA_DIR ?? '.baton');
  const logKind = env.BATON_EVENT_LOG ?? 'embedded';
  if (logKind !== 'embedded' && logKind !== 'kafka') {
    throw new Error(`BATON_EVENT_LOG must be 'embedded' or 'kafka', got '${logKind}'`);
  }
  return {
    dataDir,
    eventLog:
      logKind === 'kafka'
        ? {
            kind: 'kafka',
            brokers: (env.BATON_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
            ...kafkaGroupTimeouts(env),
            ...kafkaSecurityFromEnv(env),
          }
        : {
            kind: 'embedded',
            dir: join(dataDir, 'log'),
            fsync: fsyncSetting(env.BATON_FSYNC),
            fsyncIntervalMs: positiveInt(env, 'BATON_FSYNC_INTERVAL_MS', 1_000),
            ...(env.BATON_ACCEPT_EVENT_LOG ? { acceptLogId: env.BATON_ACCEPT_EVENT_LOG } : {}),
          },
    database: env.BATON_DATABASE_URL
      ? { kind: 'postgres', url: env.BATON_DATABASE_URL, ...withSsl(pgTlsFromEnv(env)) }
      : { kind: 'pglite', dir: join(dataDir, 'db') },
    topics: {
      runPartitions: positiveInt(env, 'BATON_RUN_PARTITIONS', 8),
      requestPartitions: positiveInt(env, 'BATON_REQUEST_PARTITIONS', 4),
    },
    secrets: {
      key: env.BATON_SECRETS_KEY,
      keyFile: resolve(env.BATON_SECRETS_KEY_FILE ?? join(dataDir, 'secrets.key')),
      createKeyFile: false,
    },
    runLimits: {
      maxForeachIterations: positiveInt(
        env,
        'BATON_LIMIT_MAX_FOREACH_ITERATIONS',
        DEFAULT_RUN_LIMITS.maxForeachIterations,
      ),
      maxNestingDepth: positiveInt(env, 'BATON_LIMIT_MAX_NESTING_DEPTH', DEFAULT_RUN_LIMITS.maxNestingDepth),
    },
    signalRetention: {
      maxAgeMs: positiveInt(env, 'BATON_SIGNAL_RETENTION_MS', DEFAULT_SIGNAL_RETENTION.maxAgeMs),
      maxCount: positiveInt(env, 'BATON_SIGNAL_RETENTION_COUNT', DEFAULT_SIGNAL_RETENTION.maxCount),
    },
  };
}

function kafkaGroupTimeouts(env: Environment): KafkaGroupTimeouts {
  const optional = (name: string) => (env[name] === undefined ? undefined : positiveInt(env, name, 0));
  const timeouts = {
    sessionTimeoutMs: optional('BATON_KAFKA_SESSION_TIMEOUT_MS'),
    heartbeatIntervalMs: optional('BATON_KAFKA_HEARTBEAT_INTERVAL_MS'),
    rebalanceTimeoutMs: optional('BATON_KAFKA_REBALANCE_TIMEOUT_MS'),
  };
  const session = timeouts.sessionTimeoutMs ?? 10_000;
  if (timeouts.heartbeatIntervalMs !== undefined && timeouts.heartbeatIntervalMs >= session)
    throw new Error(
      `BATON_KAFKA_HEARTBEAT_INTERVAL_MS (${timeouts.heartbeatIntervalMs}) must be below the session timeout (${session})`,
    );
  return Object.fromEntries(Object.entries(timeouts).filter(([, value]) => value !== undefined));
}

function fsyncSetting(raw: string | undefined): FsyncSetting {
  if (raw === undefined || raw === '') return 'batch';
  const mode = FSYNC_MODES.find((candidate) => candidate === raw);
  if (!mode) throw new Error(`BATON_FSYNC must be one of ${FSYNC_MODES.join(', ')}, got '${raw}'`);
  return mode;
}

function withSsl(ssl: PgTls | undefined): { ssl?: PgTls } {
  return ssl === undefined ? {} : { ssl };
}

function positiveInt(env: Environment, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}
