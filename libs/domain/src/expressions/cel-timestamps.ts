import { create } from '@bufbuild/protobuf';
import { TimestampSchema, type Timestamp } from '@bufbuild/protobuf/wkt';
import { CelScalar, celFunc, objectType } from '@bufbuild/cel';

/**
 * `timestamp(int)` as the CEL spec defines it: the int is **seconds** since
 * the Unix epoch. `@bufbuild/cel` 0.6.1 (the latest release, December 2026)
 * reads it as milliseconds, so `timestamp(1569018000)` came out as
 * 1970-01-19 and date params built from epoch seconds were silently wrong.
 * Passed to `celEnv` after the standard library, this overload replaces the
 * library's (later functions of the same signature win). Drop it once a
 * release fixes the conversion: `cel-timestamps.spec.ts` will still pass.
 */

/** The range of `google.protobuf.Timestamp`: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

function timestampFromSeconds(seconds: bigint): Timestamp {
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    // Thrown errors become CEL errors, which the adapter reports with the failing sub-expression.
    throw new Error(
      `timestamp out of range: ${seconds} seconds is outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z`,
    );
  }
  return create(TimestampSchema, { seconds, nanos: 0 });
}

export const timestampOverrides = [
  celFunc('timestamp', [CelScalar.INT], objectType(TimestampSchema), timestampFromSeconds),
];
