import { type ValidationOptions, registerDecorator } from 'class-validator';
import { parseDuration } from '../duration';
import { isPlainObject } from './transforms';
import { looksLikeExpression } from '../step-values';

function custom(
  name: string,
  test: (value: unknown) => string | undefined,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) => {
    let message = '';
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { ...options, message: () => message },
      validator: {
        validate(value: unknown) {
          const problem = test(value);
          message = problem ?? '';
          return problem === undefined;
        },
      },
    });
  };
}

/**
 * A duration, or an expression giving one (`"${params.wait}"`,
 * `{ expression: "..." }`), checked by the expression pass and evaluated
 * when the step becomes ready.
 */
export function IsDurationOrExpression(): PropertyDecorator {
  return custom('isDurationOrExpression', (value) => {
    if (looksLikeExpression(value)) return undefined;
    const parsed = parseDuration(value);
    return parsed.ok ? undefined : `${parsed.message}, or an expression such as "\${params.wait}"`;
  });
}

/** A retry limit: an integer 0-100, or an expression giving one. */
export function IsRetryLimit(): PropertyDecorator {
  return custom('isRetryLimit', (value) => {
    if (looksLikeExpression(value)) return undefined;
    const ok = typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100;
    return ok ? undefined : 'a retry limit is an integer 0-100, or an expression such as "${params.retries}"';
  });
}

/** A duration such as `30s`, `1h30m`, `PT1H` or a number of seconds. */
export function IsDuration(): PropertyDecorator {
  return custom('isDuration', (value) => {
    const parsed = parseDuration(value);
    return parsed.ok ? undefined : parsed.message;
  });
}

/** argv: a non-empty list of strings. A shell string is refused with a way out. */
export function IsArgv(): PropertyDecorator {
  return custom('isArgv', (value) => {
    if (typeof value === 'string') {
      return (
        'command must be a list of arguments (argv), not a shell string: nothing is passed through a shell. ' +
        'Write e.g. [sh, -c, "echo $REGION"] and read params from environment variables'
      );
    }
    if (!Array.isArray(value) || value.length === 0)
      return 'command must be a non-empty list of strings, e.g. [python, job.py]';
    if (value.length > 1000) return 'command has more than 1000 arguments';
    const bad = value.findIndex((arg) => typeof arg !== 'string');
    return bad < 0 ? undefined : `command[${bad}] must be a string; quote numbers and booleans`;
  });
}

/** A map (object) of free-form values; each value is checked later, with its own path. */
export function IsValueMap(what: string): PropertyDecorator {
  return custom('isValueMap', (value) => (isPlainObject(value) ? undefined : `must be a map of ${what}`));
}

/** A subworkflow's `version`: a version number, or `active` (resolved when the step starts). */
export function IsVersionSelector(): PropertyDecorator {
  return custom('isVersionSelector', (value) =>
    value === 'active' || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1)
      ? undefined
      : `version must be a version number (1, 2, ...) or 'active', got ${JSON.stringify(value)}`,
  );
}
