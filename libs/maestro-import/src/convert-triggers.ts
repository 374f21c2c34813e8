import { SIGNAL_NAME } from '@baton/definitions/dto/patterns';
import { convertStepParams } from './convert-params';
import { oneLine } from './convert-values';
import { type ImportReport, type JsonObject, child, isObject } from './report';
import type { SelType } from './sel/sel-scope';

const PREDEFINED: Readonly<Record<string, string>> = {
  '@HOURLY': '0 * * * *',
  '@DAILY': '0 0 * * *',
  '@MIDNIGHT': '0 0 * * *',
  '@WEEKLY': '0 0 * * 0',
  '@MONTHLY': '0 0 1 * *',
  '@YEARLY': '0 0 1 1 *',
  '@ANNUALLY': '0 0 1 1 *',
};

/** `time_triggers` and `signal_triggers` as Baton's `triggers: { cron, signals }`. */
export function convertTriggers(
  workflow: JsonObject,
  path: string,
  params: ReadonlyMap<string, SelType>,
  report: ImportReport,
): JsonObject | undefined {
  const cron = list(workflow.time_triggers, child(path, 'time_triggers'), report).flatMap(([t, at]) => {
    const converted = convertTimeTrigger(t, at, report);
    return converted ? [converted] : [];
  });
  const signals = list(workflow.signal_triggers, child(path, 'signal_triggers'), report).flatMap(
    ([t, at]) => {
      const converted = convertSignalTrigger(t, at, params, report);
      return converted ? [converted] : [];
    },
  );
  if (cron.length === 0 && signals.length === 0) return undefined;
  return { ...(cron.length > 0 ? { cron } : {}), ...(signals.length > 0 ? { signals } : {}) };
}

function list(value: unknown, path: string, report: ImportReport): [JsonObject, string][] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report.unmapped(path, 'must be a list; left out');
    return [];
  }
  return value.flatMap((item, i): [JsonObject, string][] => {
    if (isObject(item)) return [[item, child(path, i)]];
    report.unmapped(child(path, i), 'a trigger must be a map; left out');
    return [];
  });
}

function convertTimeTrigger(trigger: JsonObject, path: string, report: ImportReport): JsonObject | undefined {
  const type = String(trigger.type ?? 'CRON').toUpperCase();
  report.leftovers(
    trigger,
    path,
    ['type', 'cron', 'expression', 'timezone', 'interval', 'start'],
    'time trigger field',
  );
  let schedule: string | undefined;
  if (type === 'CRON' && typeof trigger.cron === 'string') {
    schedule = unixCron(trigger.cron, child(path, 'cron'), report);
  } else if (type === 'PREDEFINED' && typeof trigger.expression === 'string') {
    const key = trigger.expression.toUpperCase();
    schedule = Object.hasOwn(PREDEFINED, key) ? PREDEFINED[key] : undefined;
    if (!schedule)
      report.unmapped(
        child(path, 'expression'),
        `predefined schedule ${trigger.expression} is unknown; trigger left out`,
      );
  } else {
    report.unmapped(
      path,
      `${type} time triggers have no Baton equivalent (Baton has cron triggers); trigger left out`,
    );
  }
  if (!schedule) return undefined;
  return { schedule, ...(typeof trigger.timezone === 'string' ? { timezone: trigger.timezone } : {}) };
}

/**
 * Maestro reads Quartz cron (seconds first, `?`, an optional year) and Unix
 * cron. Baton reads 5 fields, or 6 with seconds first, and refuses `?`.
 */
function unixCron(cron: string, path: string, report: ImportReport): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length === 5) return fields.join(' ');
  if (fields.length < 6 || fields.length > 7) {
    report.unmapped(path, `cron '${cron}' has ${fields.length} fields; trigger left out`);
    return undefined;
  }
  if (fields.length === 7 && fields[6] !== '*') {
    report.unmapped(path, `cron '${cron}' names years, which Baton's cron cannot; trigger left out`);
    return undefined;
  }
  const quartz = fields.slice(0, 6);
  if (quartz.some((f) => /[LW#]/.test(f))) {
    report.unmapped(path, `cron '${cron}' uses Quartz's L, W or #; trigger left out`);
    return undefined;
  }
  // Quartz numbers weekdays 1-7 from Sunday; Unix cron 0-6.
  const weekday = quartz[5].replace(/\d+/g, (d) => String(Number(d) - 1));
  const converted = [...quartz.slice(0, 5), weekday]
    .map((f) => (f === '?' ? '*' : f.replace(/^(\d+)\/1$/, '*')))
    .join(' ');
  report.changed(path, `Quartz cron '${cron}' rewritten as '${converted}'`);
  return converted;
}

/**
 * A signal trigger. Baton starts a run on one signal whose params equal
 * literals; Maestro's triggers on several signals, with join keys, other
 * operators or a condition, are reported (they map once multi-signal
 * triggers with conditions land).
 */
function convertSignalTrigger(
  trigger: JsonObject,
  path: string,
  params: ReadonlyMap<string, SelType>,
  report: ImportReport,
): JsonObject | undefined {
  report.leftovers(
    trigger,
    path,
    ['definitions', 'condition', 'dedup_expr', 'params'],
    'signal trigger field',
  );
  const definitions = isObject(trigger.definitions) ? Object.entries(trigger.definitions) : [];
  const later = 'maps once multi-signal triggers with conditions land';
  if (definitions.length !== 1) {
    report.unmapped(
      path,
      `a trigger on ${definitions.length} signals; Baton's signal triggers take one (${later}); trigger left out`,
    );
    return undefined;
  }
  const [name, definition] = definitions[0];
  const at = child(child(path, 'definitions'), name);
  if (!SIGNAL_NAME.test(name)) {
    report.unmapped(at, `signal name '${name}' is not one Baton accepts yet; trigger left out`);
    return undefined;
  }
  const spec: JsonObject = isObject(definition) ? definition : {};
  report.leftovers(spec, at, ['match_params', 'join_keys'], 'signal definition field');
  if (Array.isArray(spec.join_keys) && spec.join_keys.length > 0) {
    report.unmapped(
      child(at, 'join_keys'),
      `join keys join several signals; one signal needs none (left out)`,
    );
  }
  const match: JsonObject = {};
  for (const [key, condition] of Object.entries(isObject(spec.match_params) ? spec.match_params : {})) {
    const where = child(child(at, 'match_params'), key);
    const operator = isObject(condition) ? (condition.operator ?? '=') : undefined;
    if (!isObject(condition) || operator !== '=' || !('value' in condition)) {
      report.unmapped(
        where,
        `a match on ${key} with operator ${String(operator)}; Baton's signal triggers match literals by equality (${later}); trigger left out`,
      );
      return undefined;
    }
    if (JSON.stringify(condition.value).includes('${')) {
      report.unmapped(
        where,
        `a match on ${key} with an interpolated value; Baton's trigger matches are literals; trigger left out`,
      );
      return undefined;
    }
    match[key] = condition.value;
  }
  if (typeof trigger.condition === 'string') {
    report.unmapped(
      child(path, 'condition'),
      `a trigger condition (${oneLine(trigger.condition)}); ${later}; trigger left out`,
    );
    return undefined;
  }
  if (trigger.dedup_expr !== undefined) {
    report.unmapped(
      child(path, 'dedup_expr'),
      "Baton dedups signals by the signal's id, not an expression; left out",
    );
  }
  const triggerParams = convertStepParams(
    trigger.params,
    child(path, 'params'),
    { params: new Map(), triggerSignal: name },
    report,
  );
  for (const key of Object.keys(triggerParams)) {
    if (params.has(key)) continue;
    // Baton refuses a trigger param the workflow does not declare.
    report.unmapped(
      child(child(path, 'params'), key),
      `the workflow declares no param '${key}'; left out of the trigger`,
    );
    delete triggerParams[key];
  }
  return {
    signal: name,
    ...(Object.keys(match).length > 0 ? { match } : {}),
    ...(Object.keys(triggerParams).length > 0 ? { params: triggerParams } : {}),
  };
}
