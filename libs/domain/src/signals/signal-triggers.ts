import type { EvaluationResult } from '../expressions/expression';
import type { JsonObject, JsonValue } from '../shared/json';
import {
  isSignalSetTrigger,
  type AnySignalTrigger,
  type SignalTrigger,
} from '../workflow/workflow-definition';
import type { SignalSent } from './signal.messages';
import { matchesSignal } from './signal-match';

/** The signal triggers of one workflow's active version. */
export interface WorkflowSignalTriggers {
  readonly workflowId: string;
  readonly version: number;
  /** `triggers.signals` of the version, in document order (the index names the trigger). */
  readonly signals: readonly AnySignalTrigger[];
}

/** What a signal trigger's params read: the signal that fired it, as `signal.id`, `signal.name`, `signal.params`. */
export interface SignalExpressionContext {
  readonly signal: {
    readonly id: string;
    readonly name: string;
    readonly params: Readonly<Record<string, JsonValue>>;
  };
}

/** What a trigger on several signals reads: `signals.<alias>`, each as `signal` above. */
export interface SignalSetExpressionContext {
  readonly signals: Readonly<Record<string, SignalExpressionContext['signal']>>;
}

/** The expression language as trigger params need it; injected so a test can pin it. */
export interface SignalExpressionEvaluator {
  evaluate(source: string, context: SignalExpressionContext | SignalSetExpressionContext): EvaluationResult;
}

interface TriggeredRunBase {
  readonly workflowId: string;
  readonly version: number;
  readonly triggerIndex: number;
  /** `signal:<signal id>:<trigger index>`: the same signal firing the same trigger is one run. */
  readonly requestId: string;
}

/** A run a signal starts, or why its params could not be computed. */
export type TriggeredRun =
  | (TriggeredRunBase & { readonly ok: true; readonly params: JsonObject })
  | (TriggeredRunBase & { readonly ok: false; readonly message: string });

/**
 * Every run `signal` starts: one per signal trigger (of any workflow's active
 * version) naming the signal whose `match` the signal's params satisfy, with
 * the trigger's params evaluated over the signal. A trigger whose params fail
 * to evaluate is reported (`ok: false`) and the others still fire.
 *
 * @example
 *   // trigger: { signal: 'table.loaded', match: { table: 'sales' }, params: { day: { expression: 'signal.params.day' } } }
 *   runsTriggeredBy(signal, workflows, celSignalExpressions)
 *   // → [{ ok: true, workflowId: 'sales.daily', requestId: 'signal:s-1:0', params: { day: '2026-01-02' }, ... }]
 */
export function runsTriggeredBy(
  signal: SignalSent,
  workflows: readonly WorkflowSignalTriggers[],
  expressions: SignalExpressionEvaluator,
): TriggeredRun[] {
  const context: SignalExpressionContext = {
    signal: { id: signal.signalId, name: signal.name, params: signal.params },
  };
  const runs: TriggeredRun[] = [];
  for (const { workflowId, version, signals } of workflows) {
    signals.forEach((trigger, triggerIndex) => {
      // A trigger on several signals fires from its join (see `signal-joins.ts`).
      if (isSignalSetTrigger(trigger)) return;
      if (trigger.signal !== signal.name || !matchesSignal(trigger.match, signal.params)) return;
      const base = {
        workflowId,
        version,
        triggerIndex,
        requestId: signalTriggerRequestId(signal.signalId, triggerIndex),
      };
      const params = triggerParams(trigger, context, expressions);
      runs.push(
        params.ok
          ? { ...base, ok: true, params: params.value }
          : {
              ...base,
              ok: false,
              message: `workflow ${workflowId} v${version} triggers.signals[${triggerIndex}].params.${params.name}: ${params.message}`,
            },
      );
    });
  }
  return runs;
}

export function signalTriggerRequestId(signalId: string, triggerIndex: number): string {
  return `signal:${signalId}:${triggerIndex}`;
}

export type ParamsResult =
  | { readonly ok: true; readonly value: JsonObject }
  | { readonly ok: false; readonly name: string; readonly message: string };

/** A trigger's params: literals as they are, expressions evaluated over `context`. */
export function triggerParams(
  trigger: Pick<SignalTrigger, 'params'>,
  context: SignalExpressionContext | SignalSetExpressionContext,
  expressions: SignalExpressionEvaluator,
): ParamsResult {
  const params: JsonObject = {};
  for (const [name, value] of Object.entries(trigger.params)) {
    if ('literal' in value) {
      params[name] = value.literal;
      continue;
    }
    const result = expressions.evaluate(value.expression, context);
    if (!result.ok) return { ok: false, name, message: result.error.message };
    params[name] = result.value;
  }
  return { ok: true, value: params };
}
