import { convertDuration } from './convert-step-fields';
import { convertParamValue } from './convert-values';
import { type ImportReport, type JsonObject, child, isObject } from './report';
import type { SelScope } from './sel/sel-scope';

/** A leaf step's Baton type and runtime fields, and the Maestro params its runtime consumed. */
export interface Runtime {
  readonly fields: JsonObject;
  readonly consumed: readonly string[];
}

type RuntimeConverter = (body: JsonObject, path: string, scope: SelScope, report: ImportReport) => Runtime;

const noop: RuntimeConverter = () => ({ fields: { type: 'noop' }, consumed: [] });

const sleep: RuntimeConverter = (body, path, _scope, report) => {
  const params = isObject(body.params) ? body.params : {};
  const definition = isObject(params.sleep_seconds) ? params.sleep_seconds : {};
  const at = child(child(path, 'params'), 'sleep_seconds');
  let duration: string | number | undefined;
  if ('value' in definition) duration = convertDuration(definition.value, at, report);
  else report.unmapped(at, 'a computed sleep_seconds; Baton sleep durations are literals today');
  // Baton refuses a zero sleep: the placeholder is the shortest whole second.
  if (duration === undefined) report.changed(at, 'the step sleeps 1s until its duration is rewritten');
  return { fields: { type: 'sleep', duration: duration ?? '1s' }, consumed: ['sleep_seconds'] };
};

/** `params.http` is a MAP param of url, method, headers, body, each a param definition. */
const http: RuntimeConverter = (body, path, scope, report) => {
  const params = isObject(body.params) ? body.params : {};
  const at = child(child(child(path, 'params'), 'http'), 'value');
  const request = isObject(params.http) && isObject(params.http.value) ? params.http.value : {};
  report.leftovers(request, at, ['url', 'method', 'headers', 'body'], 'http field');
  const fields: JsonObject = { type: 'http' };
  for (const key of ['url', 'method', 'headers', 'body']) {
    const definition = request[key];
    if (!isObject(definition)) continue;
    const converted = convertParamValue(definition, child(at, key), scope, report);
    if (converted.ok)
      fields[key] =
        key === 'method' && typeof converted.value === 'string'
          ? converted.value.toUpperCase()
          : converted.value;
  }
  if (fields.url === undefined) {
    report.unmapped(at, 'an http step without a url Baton can read; it became a noop');
    return { fields: { type: 'noop' }, consumed: ['http'] };
  }
  if (body.state_expr !== undefined) {
    report.unmapped(
      child(path, 'state_expr'),
      "Baton decides an http step's outcome by success_statuses, not an expression; left out",
    );
  }
  return { fields, consumed: ['http'] };
};

/**
 * A Kubernetes step's command and args become a shell step's argv. Baton runs
 * it on an executor host, not in the step's container image: reported.
 */
const kubernetes: RuntimeConverter = (body, path, scope, report) => {
  const params = isObject(body.params) ? body.params : {};
  const at = child(child(child(path, 'params'), 'kubernetes'), 'value');
  const spec =
    isObject(params.kubernetes) && isObject(params.kubernetes.value) ? params.kubernetes.value : {};
  const strings = (key: string): string[] | undefined => {
    const value = isObject(spec[key]) ? spec[key].value : undefined;
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  };
  const argv = [...(strings('command') ?? []), ...(strings('args') ?? [])];
  report.leftovers(spec, at, ['command', 'args', 'env'], 'kubernetes field');
  if (argv.length === 0) {
    report.unmapped(at, 'a kubernetes step without a literal command; it became a noop');
    return { fields: { type: 'noop' }, consumed: ['kubernetes'] };
  }
  report.changed(
    at,
    'runs as a shell step on an executor host, not in a container (its image and resources are not carried over)',
  );
  const fields: JsonObject = { type: 'shell', command: argv };
  const env = convertEnv(spec.env, child(at, 'env'), scope, report);
  if (env) fields.env = env;
  return { fields, consumed: ['kubernetes'] };
};

/** A STRING_MAP param of environment variables, each value a literal or interpolated string. */
function convertEnv(
  definition: unknown,
  path: string,
  scope: SelScope,
  report: ImportReport,
): JsonObject | undefined {
  if (definition === undefined) return undefined;
  const values = isObject(definition) && isObject(definition.value) ? definition.value : undefined;
  if (!values) {
    report.unmapped(path, 'env must be a STRING_MAP of literals; left out');
    return undefined;
  }
  const env: JsonObject = {};
  for (const [name, value] of Object.entries(values)) {
    const where = child(child(path, 'value'), name);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      report.unmapped(where, `environment variable name '${name}' is not an identifier; left out`);
      continue;
    }
    const converted = convertParamValue({ value, type: 'STRING' }, where, scope, report);
    if (converted.ok) env[name] = converted.value;
  }
  return Object.keys(env).length > 0 ? env : undefined;
}

/** Step types by Maestro's name, lower-cased; others become a noop placeholder, reported. */
const RUNTIMES: Readonly<Record<string, RuntimeConverter>> = {
  noop,
  join: noop,
  sleep,
  http,
  kubernetes,
};

export function convertRuntime(
  body: JsonObject,
  path: string,
  scope: SelScope,
  report: ImportReport,
): Runtime {
  const type = typeof body.type === 'string' ? body.type.toLowerCase() : '';
  const converter = Object.hasOwn(RUNTIMES, type) ? RUNTIMES[type] : undefined;
  if (body.sub_type !== undefined && type !== 'notebook') {
    report.unmapped(child(path, 'sub_type'), 'Baton step types have no sub types; left out');
  }
  if (!converter) {
    report.unmapped(
      child(path, 'type'),
      `step type ${JSON.stringify(body.type)}${body.sub_type ? ` (${String(body.sub_type)})` : ''} has no Baton runtime; a noop placeholder stands in its place`,
    );
    return noop(body, path, scope, report);
  }
  return converter(body, path, scope, report);
}
