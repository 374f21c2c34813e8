import { type ClassConstructor, Transform, plainToInstance } from 'class-transformer';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A YAML map of name → object becomes a `Map` of DTO instances, so
 * class-validator validates each entry and reports errors under its key
 * (`$.params.region.type`). Anything else is left as is for the validators
 * to reject.
 */
export function MapOf<T>(cls: ClassConstructor<T>): PropertyDecorator {
  return Transform(({ obj, key }) => {
    const raw: unknown = (obj as Record<string, unknown>)[key];
    if (!isPlainObject(raw)) return raw;
    return new Map(
      Object.entries(raw).map(([name, value]) => [
        name,
        isPlainObject(value) ? plainToInstance(cls, value) : value,
      ]),
    );
  });
}

/** One nested object as a DTO instance; a string is first turned into `{ [field]: string }`. */
export function ObjectOrShorthand<T>(cls: ClassConstructor<T>, field: string): PropertyDecorator {
  return Transform(({ obj, key }) => instanceOrShorthand(cls, field, (obj as Record<string, unknown>)[key]));
}

/** Like `ObjectOrShorthand`, for each item of a list. */
export function EachObjectOrShorthand<T>(cls: ClassConstructor<T>, field: string): PropertyDecorator {
  return Transform(({ obj, key }) => {
    const raw: unknown = (obj as Record<string, unknown>)[key];
    return Array.isArray(raw) ? raw.map((item) => instanceOrShorthand(cls, field, item)) : raw;
  });
}

/** Marks an instance made from the string shorthand, so error paths can point at the string itself. */
export const SHORTHAND = Symbol('shorthand');

function instanceOrShorthand<T>(cls: ClassConstructor<T>, field: string, raw: unknown): unknown {
  if (typeof raw === 'string')
    return Object.assign(plainToInstance(cls, { [field]: raw }) as object, { [SHORTHAND]: true });
  return isPlainObject(raw) ? plainToInstance(cls, raw) : raw;
}

/** A nested object as a DTO instance, or the raw value for the validators to reject. */
export function NestedObject<T>(cls: ClassConstructor<T>): PropertyDecorator {
  return Transform(({ obj, key }) => {
    const raw: unknown = (obj as Record<string, unknown>)[key];
    return isPlainObject(raw) ? plainToInstance(cls, raw) : raw;
  });
}

/** Each plain-object item of a list as a DTO instance; other items are left for the validators. */
export function EachNestedObject<T>(cls: ClassConstructor<T>): PropertyDecorator {
  return Transform(({ obj, key }) => {
    const raw: unknown = (obj as Record<string, unknown>)[key];
    return Array.isArray(raw)
      ? raw.map((item) => (isPlainObject(item) ? plainToInstance(cls, item) : item))
      : raw;
  });
}
