import { fitsParamType } from '@baton/domain';
import type { JsonValue, ParamType } from '@baton/domain';
import { PARAM_TYPES } from './dto/param.dto';

/** Why `value` is not of param type `type` ("must be a long, got a list"), or undefined when it is. */
export function typeProblem(value: unknown, type: ParamType): string | undefined {
  // An unknown type is reported by the DTO validation; only known types are checked here.
  if (!PARAM_TYPES.includes(type) || fitsParamType(value as JsonValue, type)) return undefined;
  if (type === 'long' && typeof value === 'number')
    return `${value} is not an integer; a long param needs a whole number`;
  return `must be a ${type}, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`;
}
