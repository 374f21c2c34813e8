import type { JsonValue } from '../shared/json';

/**
 * What an expression can see. Everything is plain data given by the engine,
 * so evaluation is deterministic and replays give the same answers.
 *
 * In CEL: `params.region`, `steps.extract.outputs.rows`,
 * `steps.extract.status == 'SUCCEEDED'`, `run.id`, `run.attempt`,
 * `run.scheduled_at` (RFC 3339 string), `step.attempt`, and, in `outputs`
 * expressions, `result` (what the executor reported).
 */
export interface ExpressionContext {
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly steps: Readonly<
    Record<
      string,
      {
        readonly status: string;
        readonly outputs: Readonly<Record<string, JsonValue>>;
        /** The params the step's latest attempt was given (absent in contexts built before steps had them). */
        readonly params?: Readonly<Record<string, JsonValue>>;
      }
    >
  >;
  readonly run: {
    readonly id: string;
    readonly workflow_id: string;
    readonly workflow_version: number;
    readonly attempt: number;
    readonly scheduled_at: string;
  };
  readonly step?: { readonly id: string; readonly attempt: number };
  readonly result?: JsonValue;
}

/** Why an expression could not be checked or evaluated; `message` is fit to show a user. */
export interface ExpressionError {
  readonly expression: string;
  readonly message: string;
}

export type EvaluationResult =
  { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly error: ExpressionError };
