import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

/**
 * How log lines look: `json` (one object per line, for collectors), `pretty`
 * (coloured, one readable line per record, for a person), `auto` (pretty when
 * stdout is a terminal, JSON otherwise: a pipe, a file, a container log).
 */
export type LogFormat = 'json' | 'pretty' | 'auto';

/** How a process logs (`BATON_LOG_LEVEL`, `BATON_LOG_FORMAT`, `NO_COLOR`), from its config. */
export interface LogSettings {
  readonly level: string;
  readonly format: LogFormat;
  readonly color: boolean;
}

/**
 * Structured JSON logs (one object per line on stdout) for every Baton
 * process. Nest's own messages arrive through the `LoggerService` methods;
 * Baton code that knows a run or step adds them with `child({ runId, stepId })`
 * so log lines can be joined to the read model.
 *
 * @example
 *   const log = JsonLogger.create({ service: 'engine' });
 *   log.child({ runId }).info('run started');
 */
export class JsonLogger implements LoggerService {
  private static process: JsonLogger | null = null;

  private constructor(private readonly pino: Logger) {}

  /**
   * The process's logger, for adapters that log outside Nest's DI (kafkajs):
   * the one `bootstrapService` created, or a default one before that.
   */
  static forProcess(): JsonLogger {
    JsonLogger.process ??= JsonLogger.create();
    return JsonLogger.process;
  }

  /** Makes `logger` the one `forProcess` returns (called once, at process start). */
  static useForProcess(logger: JsonLogger): void {
    JsonLogger.process = logger;
  }

  static create(
    bindings: Record<string, string> = {},
    level = 'info',
    /** stdout unless given (tests). */
    destination?: DestinationStream,
    format: LogFormat = 'auto',
    /** Pretty output in colour on a terminal; false with `NO_COLOR`. */
    color = true,
  ): JsonLogger {
    const options = { level, base: { pid: process.pid, ...bindings } };
    const pretty =
      format === 'pretty' || (format === 'auto' && destination === undefined && process.stdout.isTTY);
    if (pretty) return new JsonLogger(pino(options, prettyStream(destination, color)));
    return new JsonLogger(destination ? pino(options, destination) : pino(options));
  }

  /** The logger a service's `LogSettings` (its process config) describe. */
  static forService(service: string, settings: LogSettings): JsonLogger {
    return JsonLogger.create({ service }, settings.level, undefined, settings.format, settings.color);
  }

  child(bindings: Record<string, string | number>): Logger {
    return this.pino.child(bindings);
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }

  error(message: unknown, trace?: string, context?: string): void {
    if (isStructured(message)) {
      const { msg, ...fields } = message;
      this.pino.error({ context, trace, ...fields }, msg);
      return;
    }
    this.pino.error({ context, trace, ...errorFields(message) }, describe(message));
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace', message: unknown, context?: string): void {
    if (isStructured(message)) {
      // Nest's Logger takes one value: `{ msg, ...fields }` becomes the message and structured fields.
      const { msg, ...fields } = message;
      this.pino[level]({ context, ...fields }, msg);
      return;
    }
    this.pino[level]({ context, ...errorFields(message) }, describe(message));
  }
}

function isStructured(message: unknown): message is { msg: string } & Record<string, unknown> {
  return (
    typeof message === 'object' &&
    message !== null &&
    !(message instanceof Error) &&
    typeof (message as { msg?: unknown }).msg === 'string'
  );
}

function describe(message: unknown): string {
  if (typeof message === 'string') return message;
  // JSON.stringify of an Error is "{}": its message, stack and cause are not enumerable.
  if (message instanceof Error) return message.message;
  return JSON.stringify(message);
}

/** The error itself under `err`: pino's serialiser writes its type, stack, own fields and chain of causes. */
function errorFields(message: unknown): { err?: Error } {
  return message instanceof Error ? { err: message } : {};
}

/**
 * pino-pretty in this thread, synchronous (no worker transport: a line logged
 * just before a crash still shows), the same fields as the JSON minus what a
 * person at a terminal does not need (pid, hostname).
 */
function prettyStream(destination: DestinationStream | undefined, color: boolean): DestinationStream {
  return pinoPretty({
    colorize: color && destination === undefined && process.stdout.isTTY === true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    messageKey: 'msg',
    ...(destination === undefined ? {} : { destination: destination as NodeJS.WritableStream }),
  });
}
