import { convertSignalTrigger } from './convert-signal-trigger';
import { type ImportReport, type JsonObject, child, isObject } from './report';

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
  declared: Readonly<Record<string, JsonObject>>,
  report: ImportReport,
): JsonObject | undefined {
  const cron = list(workflow.time_triggers, child(path, 'time_triggers'), report).flatMap(([t, at]) => {
    const converted = convertTimeTrigger(t, at, report);
    return converted ? [converted] : [];
  });
  const signals = list(workflow.signal_triggers, child(path, 'signal_triggers'), report).flatMap(
    ([t, at]) => {
      const converted = convertSignalTrigger(t, at, declared, report);
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
