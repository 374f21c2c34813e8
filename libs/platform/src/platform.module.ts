import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EmbeddedEventLog, KafkaEventLog, type EventLog } from '@baton/eventlog';
import { migrate, PgSqlClient, PGliteSqlClient, type SqlClient } from '@baton/readmodel';
import { systemClock } from './clock';
import { loadPlatformConfig, type PlatformConfig } from './platform.config';
import { openSecretSealer } from './secrets-key';
import { CLOCK, EVENT_LOG, PLATFORM_CONFIG, SECRET_SEALER, SQL_CLIENT } from './tokens';

/** Closes the log and the database last, after the services that use them have stopped. */
class PlatformShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.log.close();
    await this.sql.close();
  }
}

/** The adapters' warnings go to the process's JSON log (Nest's `Logger` writes through it once the app is up). */
const warnAs = (context: string) => (message: string, error?: unknown) =>
  new Logger(context).warn(error === undefined ? message : `${message}: ${errorText(error)}`);

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The event log `config` names; the caller closes it. */
export async function openEventLog(config: PlatformConfig): Promise<EventLog> {
  return config.eventLog.kind === 'kafka'
    ? KafkaEventLog.connect({
        brokers: config.eventLog.brokers,
        ...(config.eventLog.ssl === undefined ? {} : { ssl: config.eventLog.ssl }),
        ...(config.eventLog.sasl === undefined ? {} : { sasl: config.eventLog.sasl }),
      })
    : EmbeddedEventLog.open({ dir: config.eventLog.dir, onWarning: warnAs('EmbeddedEventLog') });
}

/** The read-model database `config` names, migrated; the caller closes it. */
export async function openDatabase(config: PlatformConfig): Promise<SqlClient> {
  const sql =
    config.database.kind === 'postgres'
      ? new PgSqlClient({
          connectionString: config.database.url,
          ...(config.database.ssl === undefined ? {} : { ssl: config.database.ssl }),
        })
      : await PGliteSqlClient.open({
          dataDir: config.database.dir,
          onVacuumError: (error) => warnAs('PGlite')('periodic VACUUM failed; the next one retries', error),
        });
  await migrate(sql);
  return sql;
}

/**
 * The adapters every Baton process shares: the event log (embedded or Kafka),
 * the read-model database (PGlite or PostgreSQL, migrated on start) and the
 * clock, chosen by `PlatformConfig` (environment by default).
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig = loadPlatformConfig()): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        { provide: EVENT_LOG, useFactory: () => openEventLog(config) },
        { provide: SQL_CLIENT, useFactory: () => openDatabase(config) },
        { provide: SECRET_SEALER, useFactory: () => openSecretSealer(config.secrets) },
        PlatformShutdown,
      ],
      exports: [PLATFORM_CONFIG, CLOCK, EVENT_LOG, SQL_CLIENT, SECRET_SEALER],
    };
  }
}
