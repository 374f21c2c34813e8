import { fitsParamType, type JsonObject, type JsonValue, type WorkflowDefinition } from '@baton/domain';
import type { FieldError } from '../http/api.errors';
import { didYouMean } from '../http/did-you-mean';

/**
 * The checks the API can make on a run's params before publishing the
 * request, so an obvious mistake is a 400 rather than a run that fails at
 * admission: undeclared params, required params with no value, default or
 * expression, and given values of the wrong JSON type. Expressions are not
 * evaluated here; the engine resolves them (and re-checks everything) when it
 * starts the run. Paths point into the request body (`$.params.<name>`).
 */
export function checkRunParams(definition: WorkflowDefinition, given: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const declared = new Map(definition.params.map((param) => [param.name, param]));
  for (const [name, value] of Object.entries(given)) {
    const param = declared.get(name);
    if (!param) {
      const known = [...declared.keys()];
      errors.push({
        path: paramPath(name),
        message: `workflow ${definition.id} v${definition.version} declares no param '${name}'${didYouMean(
          name,
          known,
        )}${known.length > 0 ? `; its params are: ${known.join(', ')}` : '; it takes no params'}`,
      });
      continue;
    }
    if (!fitsParamType(value, param.type)) {
      errors.push({ path: paramPath(name), message: `expected a ${param.type}, got ${describe(value)}` });
    }
  }
  for (const param of definition.params) {
    const present = Object.prototype.hasOwnProperty.call(given, param.name);
    if (param.required && !present && param.default === undefined && param.expression === undefined) {
      errors.push({ path: paramPath(param.name), message: `required param '${param.name}' is missing` });
    }
  }
  return errors;
}

function paramPath(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `$.params.${name}` : `$.params[${JSON.stringify(name)}]`;
}

function describe(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the number ${value}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
