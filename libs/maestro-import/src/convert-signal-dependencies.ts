import { SIGNAL_NAME } from '@baton/definitions/dto/patterns';
import { convertParamValue } from './convert-values';
import { type ImportReport, type JsonObject, child, isObject } from './report';
import type { SelScope } from './sel/sel-scope';

/** A `wait_for_signal` step standing for one of a Maestro step's signal dependencies. */
export interface SignalWait {
  /** The dependency's index in Maestro (`params.getFromSignalDependency('0', ...)`). */
  readonly index: string;
  readonly step: Omit<JsonObject, 'id'>;
}

/**
 * Maestro checks a step's signal dependencies before it starts; Baton waits
 * for a signal in a step of its own, so each dependency becomes a
 * `wait_for_signal` step between the step and its predecessors, with the
 * signal's params as its `params` output. Only equality matches map today.
 */
export function convertSignalDependencies(
  value: unknown,
  path: string,
  scope: SelScope,
  report: ImportReport,
): SignalWait[] {
  if (value === undefined) return [];
  // Either the list itself or `{ definitions: [...] }`.
  const list = Array.isArray(value)
    ? value
    : isObject(value) && Array.isArray(value.definitions)
      ? value.definitions
      : undefined;
  const base = Array.isArray(value) ? path : child(path, 'definitions');
  if (!list) {
    report.unmapped(path, 'signal_dependencies must be a list; left out');
    return [];
  }
  return list.flatMap((dependency, i): SignalWait[] => {
    const at = child(base, i);
    if (!isObject(dependency) || typeof dependency.name !== 'string') {
      report.unmapped(at, 'a signal dependency needs a name; left out');
      return [];
    }
    report.leftovers(dependency, at, ['name', 'match_params'], 'signal dependency field');
    if (!SIGNAL_NAME.test(dependency.name)) {
      report.unmapped(
        at,
        `signal name '${dependency.name}' is not one Baton accepts yet (maps once signal names with / land); the step does not wait for it`,
      );
      return [];
    }
    const match: JsonObject = {};
    for (const [key, condition] of Object.entries(
      isObject(dependency.match_params) ? dependency.match_params : {},
    )) {
      const where = child(child(at, 'match_params'), key);
      const operator = isObject(condition) ? (condition.operator ?? '=') : undefined;
      if (!isObject(condition) || operator !== '=') {
        report.unmapped(
          where,
          `a match with operator ${String(operator)}; Baton matches signal params by equality (left out: the step waits for any value)`,
        );
        continue;
      }
      const definition = isObject(condition.param) ? condition.param : condition;
      const converted = convertParamValue(
        definition,
        isObject(condition.param) ? child(where, 'param') : where,
        scope,
        report,
      );
      if (converted.ok) match[key] = converted.value;
    }
    return [
      {
        index: String(i),
        step: {
          type: 'wait_for_signal',
          signal: dependency.name,
          ...(Object.keys(match).length > 0 ? { match } : {}),
          outputs: { params: 'result.params' },
        },
      },
    ];
  });
}
