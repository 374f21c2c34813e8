import { registerDecorator, type ValidationArguments } from 'class-validator';
import { valueNesting } from '@baton/domain';

/** Run params as a whole: what a run carries in its state and every event about it. */
export const MAX_RUN_PARAMS_BYTES = 1024 * 1024;
/** Nesting of lists and maps in run params (the definitions' `maxValueDepth`). */
export const MAX_RUN_PARAMS_DEPTH = 32;

/**
 * `@JsonBounds()`: a JSON value no deeper than `maxDepth` levels of lists
 * and maps and no larger than `maxBytes` as JSON text. Deeply nested params
 * answered 500 (a recursive pass overflowed); a huge one would sit in the
 * run's state for good.
 */
export function JsonBounds(maxDepth = MAX_RUN_PARAMS_DEPTH, maxBytes = MAX_RUN_PARAMS_BYTES) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'jsonBounds',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) =>
          value === undefined ||
          (valueNesting(value, maxDepth) <= maxDepth && Buffer.byteLength(JSON.stringify(value)) <= maxBytes),
        defaultMessage: (args: ValidationArguments) =>
          valueNesting(args.value, maxDepth) > maxDepth
            ? `${args.property} nests deeper than ${maxDepth} levels of lists and maps`
            : `${args.property} is larger than ${maxBytes} bytes of JSON`,
      },
    });
  };
}
