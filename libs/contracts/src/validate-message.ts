import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { jsonNesting } from '@baton/domain';

/** No message on a topic nests deeper; past it a record is a dead letter, before anything recursive reads it. */
export const MAX_MESSAGE_NESTING = 64;

export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string; readonly problems: { path: string; message: string }[] };

/**
 * The dead-letter reason for a record value nesting deeper than
 * `MAX_MESSAGE_NESTING` (one pass, no parse), or undefined when it is fine:
 * for any reader that looks into a record before `decodeMessage` does.
 */
export function nestingRefusal(value: string): Extract<Decoded<never>, { ok: false }> | undefined {
  if (jsonNesting(value, MAX_MESSAGE_NESTING) <= MAX_MESSAGE_NESTING) return undefined;
  return { ok: false, reason: `value nests deeper than ${MAX_MESSAGE_NESTING} levels`, problems: [] };
}

/**
 * Parses a record value as JSON and validates it with a class-validator DTO.
 * Unknown fields are refused (a typo must not be silently ignored).
 */
export function decodeMessage<T extends object>(dto: ClassConstructor<T>, value: string | null): Decoded<T> {
  if (value === null) return { ok: false, reason: 'empty record value', problems: [] };
  const tooDeep = nestingRefusal(value);
  if (tooDeep) return tooDeep;
  let plain: unknown;
  try {
    plain = JSON.parse(value);
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}`, problems: [] };
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, reason: 'value must be a JSON object', problems: [] };
  }
  const instance = plainToInstance(dto, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length === 0) return { ok: true, value: plain as T };
  const problems = flatten(errors, '$');
  return { ok: false, reason: `invalid ${dto.name.replace(/Dto$/, '')}`, problems };
}

function flatten(errors: readonly ValidationError[], parent: string): { path: string; message: string }[] {
  return errors.flatMap((error) => {
    const path = `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
