import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  Optional,
  type Provider,
} from '@nestjs/common';
import { EmbeddedEventLog, KafkaEventLog, type EventLog, type KafkaLogSink } from '@baton/eventlog';
import { batonLogger, HealthService, JsonLogger } from '@baton/observability';
import { PgSqlClient, PGliteWorkerSqlClient, type SqlClient } from '@baton/sql';
import { systemClock } from './clock';
import { checkLogIdentity } from './log-identity';
import type { PlatformConfig } from './platform.config';
import { openSecretSealer } from './secrets-key';
import { CLOCK, EVENT_LOG, PLATFORM_CONFIG, SECRET_SEALER, SQL_CLIENT } from './tokens';

const PLATFORM_READINESS = Symbol('PLATFORM_READINESS');

/** Closes the log and the database (if the process has one) last, after the services that use them have stopped. */
class PlatformShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Optional() @Inject(SQL_CLIENT) private readonly sql: SqlClient | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.log.close();
    await this.sql?.close();
  }
}

/** Readiness: the process can reach its log and, if it has one, its database (a check each, in `/health/ready`). */
function registerReadiness(health: HealthService | undefined, log: EventLog, sql?: SqlClient): void {
  health?.register('eventLog', async () => {
    await log.ping();
    return { ok: true };
  });
  if (!sql) return;
  health?.register('database', async () => {
    await sql.query('SELECT 1');
    return { ok: true };
  });
}

/** The adapters' warnings go to the process's JSON log (Nest's `Logger` writes through it once the app is up). */
const warnAs = (context: string) => (message: string, error?: unknown) =>
  batonLogger(context).warn(message, error === undefined ? {} : { error: errorText(error) });

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** kafkajs's entries as JSON lines with their level (`component: kafkajs`), in the process's logger. */
const kafkaToJsonLog: KafkaLogSink = ({ level, namespace, message, fields }) =>
  JsonLogger.forProcess().child({ component: 'kafkajs', namespace })[level](fields, message);

/**
 * The event log `config` names; the caller closes it. Given the read model,
 * an embedded log is checked against it first (`checkLogIdentity`): a read
 * model that knows runs the log does not refuses the start.
 */
export async function openEventLog(config: PlatformConfig, readModel?: SqlClient): Promise<EventLog> {
  const options = config.eventLog;
  if (options.kind === 'kafka') {
    const { kind: _kind, ...kafka } = options;
    return KafkaEventLog.connect({ ...kafka, logSink: kafkaToJsonLog });
  }
  const log = await EmbeddedEventLog.open({
    dir: options.dir,
    fsync: options.fsync,
    fsyncIntervalMs: options.fsyncIntervalMs,
    onWarning: warnAs('EmbeddedEventLog'),
  });
  if (!readModel) return log;
  try {
    const identity = { logId: log.logId, createdOnOpen: log.createdOnOpen, dir: options.dir };
    const warning = await checkLogIdentity(readModel, identity, options.acceptLogId);
    if (warning) warnAs('EmbeddedEventLog')(warning);
    return log;
  } catch (error) {
    await log.close();
    // A log this start created holds nothing; left behind, it would pass as "not just created" next time.
    if (log.createdOnOpen) rmSync(join(options.dir, 'events.wal'), { force: true });
    throw error;
  }
}

/**
 * PGlite on its own thread, so the read model's SQL uses the second core
 * instead of the engine's event loop. PGlite's own errors rarely say where:
 * the failure names the directory and keeps PGlite's error as its cause.
 */
async function openPGlite(dataDir: string): Promise<SqlClient> {
  try {
    return await PGliteWorkerSqlClient.open({
      dataDir,
      onVacuumError: (error) => warnAs('PGlite')('periodic VACUUM failed; the next one retries', error),
    });
  } catch (error) {
    throw new Error(`could not open the PGlite read-model database in ${dataDir}: ${errorText(error)}`, {
      cause: error,
    });
  }
}

/**
 * Brings a database's schema up to date, e.g. the read model's `migrate`.
 * The composition root (apps/*) names it: the platform opens the database
 * but does not own what is in it, so it imports no schema lib.
 */
export type DatabaseSchema = (sql: SqlClient) => Promise<unknown>;

/** The database `config` names, migrated by `schema` before anything reads it; the caller closes it. */
export async function openDatabase(config: PlatformConfig, schema: DatabaseSchema): Promise<SqlClient> {
  const sql =
    config.database.kind === 'postgres'
      ? new PgSqlClient({
          connectionString: config.database.url,
          ...(config.database.ssl === undefined ? {} : { ssl: config.database.ssl }),
        })
      : await openPGlite(config.database.dir);
  await schema(sql);
  return sql;
}

/**
 * The adapters every Baton process shares: the event log (embedded or Kafka),
 * the read-model database (PGlite or PostgreSQL, migrated on start by
 * `schema`) and the clock, chosen by `PlatformConfig` (the process config's `platform`).
 *
 * @example
 *   PlatformModule.forRoot(migrate, config.platform) // migrate of @baton/readmodel
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(schema: DatabaseSchema, config: PlatformConfig): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        ...commonProviders(config),
        {
          provide: EVENT_LOG,
          useFactory: (sql: SqlClient) => openEventLog(config, sql),
          inject: [SQL_CLIENT],
        },
        { provide: SQL_CLIENT, useFactory: () => openDatabase(config, schema) },
        {
          provide: PLATFORM_READINESS,
          inject: [{ token: HealthService, optional: true }, EVENT_LOG, SQL_CLIENT],
          useFactory: registerReadiness,
        },
      ],
      exports: [PLATFORM_CONFIG, CLOCK, EVENT_LOG, SQL_CLIENT, SECRET_SEALER],
    };
  }

  /**
   * The platform of a process that runs on the log alone (the engine, an
   * executor on Kafka): no database is opened, none is needed to start or to
   * be ready, and nothing can inject one.
   *
   * @example
   *   PlatformModule.forLog(config.platform)
   */
  static forLog(config: PlatformConfig): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        ...commonProviders(config),
        { provide: EVENT_LOG, useFactory: () => openEventLog(config) },
        {
          provide: PLATFORM_READINESS,
          inject: [{ token: HealthService, optional: true }, EVENT_LOG],
          useFactory: registerReadiness,
        },
      ],
      exports: [PLATFORM_CONFIG, CLOCK, EVENT_LOG, SECRET_SEALER],
    };
  }
}

/** What every Baton process's platform holds besides its log and database. */
function commonProviders(config: PlatformConfig): Provider[] {
  return [
    { provide: PLATFORM_CONFIG, useValue: config },
    { provide: CLOCK, useValue: systemClock },
    { provide: SECRET_SEALER, useFactory: () => openSecretSealer(config.secrets) },
    PlatformShutdown,
  ];
}
