import { Logger, type LoggerService } from '@nestjs/common';

/** Structured fields of a log line: ids, counts, reasons; never a secret. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Fields of an error line: `err` is the error itself (the JSON log writes its type, stack and causes). */
export type ErrorFields = Readonly<Record<string, unknown>> & { readonly err?: unknown };

/**
 * The logger port of Baton code: messages are constant sentences and what
 * varies goes in fields (`runId`, `stepId`, `attempt`, `partition`, ...), so
 * log lines can be searched and joined to the read model instead of parsed.
 *
 * @example
 *   const log = batonLogger('Engine');
 *   log.forRun(runId, stepId).warn('report refused', { reason });
 *   log.error('could not write due timers', { err: error });
 */
export interface BatonLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields | ErrorFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): BatonLogger;
  /** A logger for one run (and one of its steps): every line carries `runId` (and `stepId`). */
  forRun(runId: string, stepId?: string): BatonLogger;
}

/**
 * `BatonLogger` over a Nest `LoggerService`: lines go to the application's
 * logger (the process's `JsonLogger` once `bootstrapService` started it, silent
 * in specs that create the app with `logger: false`), as `{ msg, ...fields }`
 * with the context.
 */
class NestBatonLogger implements BatonLogger {
  constructor(
    private readonly nest: LoggerService,
    /** Passed with each line when `nest` is not a Nest `Logger` that holds its own context. */
    private readonly context: readonly string[],
    private readonly fields: LogFields,
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.nest.debug?.(this.line(message, fields), ...this.context);
  }

  info(message: string, fields?: LogFields): void {
    this.nest.log(this.line(message, fields), ...this.context);
  }

  warn(message: string, fields?: LogFields): void {
    this.nest.warn(this.line(message, fields), ...this.context);
  }

  error(message: string, fields?: LogFields | ErrorFields): void {
    this.nest.error(
      this.line(message, fields),
      ...(this.context.length > 0 ? [undefined, ...this.context] : []),
    );
  }

  child(fields: LogFields): BatonLogger {
    return new NestBatonLogger(this.nest, this.context, { ...this.fields, ...fields });
  }

  forRun(runId: string, stepId?: string): BatonLogger {
    return this.child(stepId === undefined ? { runId } : { runId, stepId });
  }

  private line(message: string, fields: object | undefined): Record<string, unknown> {
    return { msg: message, ...this.fields, ...fields };
  }
}

/**
 * The `BatonLogger` of a component (`context`: `Engine`, `Projector`, ...),
 * writing through Nest's logger, or through `nest` when given (a `JsonLogger`).
 */
export function batonLogger(context: string, nest?: LoggerService): BatonLogger {
  return nest === undefined
    ? new NestBatonLogger(new Logger(context), [], {})
    : new NestBatonLogger(nest, [context], {});
}
