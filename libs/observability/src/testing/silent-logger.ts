import type { BatonLogger } from '../baton-logger';

/** A `BatonLogger` that writes nothing, for specs of code that logs. */
export const SILENT_LOGGER: BatonLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => SILENT_LOGGER,
  forRun: () => SILENT_LOGGER,
};
