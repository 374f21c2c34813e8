import type { JsonValue } from '../shared/json';
import type { ParamType } from './workflow-definition';

/**
 * Whether a JSON value is of a param type. The one rule everywhere a param
 * value is checked (definition defaults, the API before publishing a run
 * request, the decider when a run starts), so they can never disagree.
 * A long is a safe integer: beyond 2^53 a JSON number no longer holds it exactly.
 */
export function fitsParamType(value: JsonValue | undefined, type: ParamType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'long':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    default: {
      const unexpected: never = type;
      throw new Error(`unknown param type ${String(unexpected)}`);
    }
  }
}
