import { jsonNesting } from '@baton/domain/shared/json-nesting';

/**
 * A step's output nests at most this deep: the same bound as run params and
 * expression results, since expressions of later steps read it.
 */
export const MAX_STEP_OUTPUT_NESTING = 32;

/**
 * `JSON.parse` for what a step hands back (its output file, a response body):
 * the nesting is scanned first, so a document nested thousands deep becomes a
 * reason the step fails with, not a report the engine's recursive readers
 * (class-transformer, CEL) would choke on or dead-letter.
 *
 * @example
 *   const parsed = parseStepOutput(text);
 *   if (!parsed.ok) return failed(`BATON_OUTPUT_FILE ${parsed.reason}`);
 */
export function parseStepOutput(
  text: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } {
  if (jsonNesting(text, MAX_STEP_OUTPUT_NESTING) > MAX_STEP_OUTPUT_NESTING) {
    return { ok: false, reason: `nests deeper than ${MAX_STEP_OUTPUT_NESTING} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      reason: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
