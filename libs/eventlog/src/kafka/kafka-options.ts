import { readFileSync } from 'node:fs';
import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type KafkaConfig,
  type LogEntry,
  type SASLOptions,
} from 'kafkajs';

/** TLS to the brokers: `true` with the system's CAs, or PEM contents (`cert` + `key` for mutual TLS). */
export type KafkaTls =
  | true
  | {
      readonly ca?: string;
      readonly cert?: string;
      readonly key?: string;
      /** Default true; false accepts any certificate (a test cluster's self-signed one, never production). */
      readonly rejectUnauthorized?: boolean;
    };

/** SASL authentication; SCRAM keeps the password off the wire, PLAIN needs TLS to be worth anything. */
export interface KafkaSasl {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** How `KafkaEventLog.connect` reaches and tunes Kafka. Every field is optional. */
export interface KafkaEventLogOptions {
  /** Bootstrap brokers (the platform config's `BATON_KAFKA_BROKERS`). Default `127.0.0.1:9092`. */
  readonly brokers?: readonly string[];
  /** Client id sent to the brokers (shows up in broker logs and quotas). Default `baton`. */
  readonly clientId?: string;
  /** What kafkajs may log. Default `warn`; known-harmless warnings and errors are logged at `debug`. */
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** Where kafkajs's (and this adapter's) log entries go. Default: one line each on stderr. */
  readonly logSink?: KafkaLogSink;
  /**
   * Consumer-group session timeout. A member that does not heartbeat for this long loses its
   * partitions. Must lie within the broker's `group.min/max.session.timeout.ms` (6 s..30 min by
   * default; the local broker of deploy/kafka allows 1 s). Default 10 000.
   */
  readonly sessionTimeoutMs?: number;
  /**
   * Default: a third of the session timeout, at most 500. Members learn of a
   * rebalance (a member left or died) only from a heartbeat's answer, so this
   * bounds how long survivors take to re-join after a graceful leave.
   */
  readonly heartbeatIntervalMs?: number;
  /** How long the coordinator waits for every member to re-join during a rebalance. Default 20 000. */
  readonly rebalanceTimeoutMs?: number;
  /** Longest a fetch waits on the broker when there is nothing to read; bounds `stop()` latency. Default 250. */
  readonly maxWaitTimeMs?: number;
  /** A transaction left open longer than this is aborted by the broker. Default 30 000. */
  readonly transactionTimeoutMs?: number;
  /** First back-off after an `eachBatch` handler throws; it doubles up to `maxRetryBackoffMs`. Default 250. */
  readonly retryBackoffMs?: number;
  /** Default 5 000. */
  readonly maxRetryBackoffMs?: number;
  /** Absent: plaintext. */
  readonly ssl?: KafkaTls;
  /** Absent: no authentication. */
  readonly sasl?: KafkaSasl;
}

/** One kafkajs log entry, with its level, for a structured logger. */
export interface KafkaLogEntry {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  /** kafkajs's component (`Consumer`, `Connection`, ...) or `KafkaEventLog` for this adapter. */
  readonly namespace: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export type KafkaLogSink = (entry: KafkaLogEntry) => void;

/** The options with every default filled in (TLS and SASL stay optional: absent means off). */
export type ResolvedKafkaOptions = Required<Omit<KafkaEventLogOptions, 'ssl' | 'sasl'>> &
  Pick<KafkaEventLogOptions, 'ssl' | 'sasl'>;

export function resolveKafkaOptions(options: KafkaEventLogOptions = {}): ResolvedKafkaOptions {
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
  return {
    brokers: options.brokers ?? ['127.0.0.1:9092'],
    clientId: options.clientId ?? 'baton',
    logLevel: options.logLevel ?? 'warn',
    logSink: options.logSink ?? stderrSink,
    sessionTimeoutMs,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? Math.min(500, Math.floor(sessionTimeoutMs / 3)),
    rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 20_000,
    maxWaitTimeMs: options.maxWaitTimeMs ?? 250,
    transactionTimeoutMs: options.transactionTimeoutMs ?? 30_000,
    retryBackoffMs: options.retryBackoffMs ?? 250,
    maxRetryBackoffMs: options.maxRetryBackoffMs ?? 5_000,
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
  };
}

const SASL_MECHANISMS: readonly KafkaSasl['mechanism'][] = ['plain', 'scram-sha-256', 'scram-sha-512'];

/**
 * Kafka transport security from the environment (README's configuration table):
 * - `BATON_KAFKA_SSL=true` (implied by any file below); `BATON_KAFKA_SSL_CA_FILE`,
 *   `BATON_KAFKA_SSL_CERT_FILE` + `BATON_KAFKA_SSL_KEY_FILE` (mutual TLS), PEM files;
 *   `BATON_KAFKA_SSL_REJECT_UNAUTHORIZED=false` for a self-signed test cluster;
 * - `BATON_KAFKA_SASL_MECHANISM` `plain`, `scram-sha-256` or `scram-sha-512`, with
 *   `BATON_KAFKA_SASL_USERNAME` and `BATON_KAFKA_SASL_PASSWORD` (or `_PASSWORD_FILE`).
 * A half-given setting (a mechanism without a user, a key without a cert) stops
 * the process naming the variable, rather than connecting in plaintext.
 */
export function kafkaSecurityFromEnv(
  env: NodeJS.ProcessEnv,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Pick<KafkaEventLogOptions, 'ssl' | 'sasl'> {
  const file = (name: string) => (env[name] ? read(env[name]) : undefined);
  const ca = file('BATON_KAFKA_SSL_CA_FILE');
  const cert = file('BATON_KAFKA_SSL_CERT_FILE');
  const key = file('BATON_KAFKA_SSL_KEY_FILE');
  if ((cert === undefined) !== (key === undefined)) {
    throw new Error('BATON_KAFKA_SSL_CERT_FILE and BATON_KAFKA_SSL_KEY_FILE go together (mutual TLS)');
  }
  const verify = flag(env, 'BATON_KAFKA_SSL_REJECT_UNAUTHORIZED', true);
  const tlsWanted = flag(env, 'BATON_KAFKA_SSL', ca !== undefined || cert !== undefined || !verify);
  const custom = ca !== undefined || cert !== undefined || !verify;
  const ssl: KafkaTls | undefined = !tlsWanted
    ? undefined
    : custom
      ? {
          ...(ca === undefined ? {} : { ca }),
          ...(cert === undefined ? {} : { cert, key }),
          rejectUnauthorized: verify,
        }
      : true;
  const mechanism = env.BATON_KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism === undefined || mechanism === '') return ssl === undefined ? {} : { ssl };
  if (!SASL_MECHANISMS.includes(mechanism as KafkaSasl['mechanism'])) {
    throw new Error(
      `BATON_KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}, got '${mechanism}'`,
    );
  }
  const username = env.BATON_KAFKA_SASL_USERNAME;
  const password =
    env.BATON_KAFKA_SASL_PASSWORD ?? file('BATON_KAFKA_SASL_PASSWORD_FILE')?.replace(/\r?\n$/, '');
  if (!username || password === undefined) {
    throw new Error(
      'BATON_KAFKA_SASL_MECHANISM needs BATON_KAFKA_SASL_USERNAME and BATON_KAFKA_SASL_PASSWORD (or _PASSWORD_FILE)',
    );
  }
  const sasl: KafkaSasl = { mechanism: mechanism as KafkaSasl['mechanism'], username, password };
  return { ...(ssl === undefined ? {} : { ssl }), sasl };
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got '${env[name]}'`);
}

/**
 * A new kafkajs client. Every consumer gets its own: kafkajs shares one
 * committed-offsets cache per group among all consumers of a `Kafka` object,
 * and a member that re-joins clears the entries of the other members.
 */
export function createKafkaClient(options: ResolvedKafkaOptions): Kafka {
  return new Kafka(kafkaClientConfig(options));
}

/** The kafkajs configuration `options` mean. */
export function kafkaClientConfig(options: ResolvedKafkaOptions): KafkaConfig {
  return {
    brokers: [...options.brokers],
    clientId: options.clientId,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    // Fast retries: one local broker answers in milliseconds; a real cluster
    // still gets ~10 attempts over ~10 s before an operation fails.
    retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 10 },
    logLevel: KAFKA_LOG_LEVELS[options.logLevel],
    logCreator: levelledLogCreator(options.logSink),
    ...(options.ssl === undefined ? {} : { ssl: options.ssl === true ? true : { ...options.ssl } }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl as SASLOptions }),
  };
}

/** Routing is ours (`partitionForKey`): every message carries its partition, so this is never consulted. */
export const explicitPartitioner = Partitioners.DefaultPartitioner;

const KAFKA_LOG_LEVELS = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
} as const;

/**
 * kafkajs logs, at WARN and ERROR, things that are routine for a consumer
 * group or a transactional producer and that this adapter handles: every
 * rebalance, every error response (a fenced producer, a member that must
 * re-join), the idempotent-producer retry notice, the retried "concurrent
 * transactions" answer. Those go to the sink at `debug`; anything else keeps
 * its level.
 */
const ROUTINE = [
  /^The group is rebalancing, re-joining/,
  /^Consumer is not aware of all assigned partitions/,
  /^Response (Heartbeat|JoinGroup|SyncGroup|OffsetCommit|TxnOffsetCommit|AddPartitionsToTxn|AddOffsetsToTxn|EndTxn|Produce|InitProducerId|LeaveGroup)\(/,
  /^Limiting retries for the idempotent producer/,
  // Retried by kafkajs: a new transaction starts while the last one's markers are still being written.
  /^Failed to send messages: The producer attempted to update a transaction while another concurrent operation/,
  // A fenced producer; the adapter turns it into ProducerFencedError.
  /^(Failed to send messages: )?Producer attempted an operation with an old epoch/,
];

const LEVEL_NAMES: Record<number, KafkaLogEntry['level']> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

function levelledLogCreator(sink: KafkaLogSink): () => (entry: LogEntry) => void {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const routine = ROUTINE.some((pattern) => pattern.test(message));
      sink({ level: routine ? 'debug' : (LEVEL_NAMES[level] ?? 'info'), namespace, message, fields });
    };
}

/** Without a structured logger (tools, tests): one line per entry on stderr, routine ones dropped. */
function stderrSink({ level, namespace, message, fields }: KafkaLogEntry): void {
  if (level === 'debug') return;
  process.stderr.write(
    `kafkajs ${level.toUpperCase()} [${namespace}] ${message} ${JSON.stringify(fields)}\n`,
  );
}
