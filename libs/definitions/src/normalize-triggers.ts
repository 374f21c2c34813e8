import { Cron, CronPattern } from 'croner';
import { isSecretReference } from '@baton/domain';
import type {
  AnySignalTrigger,
  CronTrigger,
  JsonObject,
  JsonValue,
  ParamDefinition,
  StepParamValue,
  Triggers,
} from '@baton/domain';
import { appendPath } from './definition-error';
import { PARAM_NAME, SIGNAL_PARAM_NAME, type NamePattern } from './dto/patterns';
import { isPlainObject } from './dto/transforms';
import type { CronTriggerDto, SignalTriggerDto, TriggersDto } from './dto/triggers.dto';
import type { ExpressionSite } from './expression-checks';
import { type NormalizeContext, checkParamBytes, checkParamValuesBytes } from './normalize-context';
import { typeProblem } from './param-type';
import { looksLikeExpression, toStepValues } from './step-values';
import { signalSetTrigger } from './normalize-signal-set';

export const DEFAULT_CRON_TIMEZONE = 'UTC';

/** A fixed instant to ask croner for a next tick from, so validation never reads the clock. */
const REFERENCE = new Date(Date.UTC(2000, 0, 1));
const SCHEDULE_HELP =
  "write 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first, e.g. '0 2 * * *'";

/**
 * `triggers` → the model's `Triggers`, always present. Schedules and time
 * zones are checked with croner, the library the scheduler evaluates them
 * with, so what passes here is exactly what can fire. A trigger's params must
 * be params the workflow declares, of their type, and must cover its required
 * params: otherwise every run the trigger starts would be refused.
 */
export function normalizeTriggers(
  dto: TriggersDto | undefined,
  params: readonly ParamDefinition[],
  sites: ExpressionSite[],
  ctx: NormalizeContext,
): Triggers {
  if (!isPlainObject(dto)) return { cron: [], signals: [] };
  // Items that are not maps were reported by the DTO validation.
  const items = <T>(list: unknown): [T, number][] =>
    Array.isArray(list) ? list.flatMap((item, i) => (isPlainObject(item) ? [[item as T, i]] : [])) : [];
  return {
    cron: items<CronTriggerDto>(dto.cron).map(([trigger, i]) =>
      cronTrigger(trigger, `$.triggers.cron[${i}]`, params, ctx),
    ),
    signals: items<SignalTriggerDto>(dto.signals).map(([trigger, i]) =>
      signalTrigger(trigger, `$.triggers.signals[${i}]`, params, sites, ctx),
    ),
  };
}

function cronTrigger(
  dto: CronTriggerDto,
  path: string,
  params: readonly ParamDefinition[],
  ctx: NormalizeContext,
): CronTrigger {
  const timezone = typeof dto.timezone === 'string' ? dto.timezone : DEFAULT_CRON_TIMEZONE;
  if (typeof dto.schedule === 'string') {
    const problem = scheduleProblem(dto.schedule);
    if (problem !== undefined) ctx.errors.push({ path: `${path}.schedule`, message: problem });
  }
  if (typeof dto.timezone === 'string' && !isTimeZone(dto.timezone)) {
    ctx.errors.push({
      path: `${path}.timezone`,
      message: `'${dto.timezone}' is not an IANA time zone; write e.g. UTC, Europe/Paris or America/New_York`,
    });
  }
  const literals = literalMap(dto.params, `${path}.params`, PARAM_NAME, 'cron trigger params', ctx);
  const given = Object.fromEntries(Object.entries(literals).map(([name, literal]) => [name, { literal }]));
  checkRunParams(given, `${path}.params`, params, ctx);
  return { schedule: typeof dto.schedule === 'string' ? dto.schedule : '', timezone, params: literals };
}

function signalTrigger(
  dto: SignalTriggerDto,
  path: string,
  params: readonly ParamDefinition[],
  sites: ExpressionSite[],
  ctx: NormalizeContext,
): AnySignalTrigger {
  if (dto.all !== undefined) return signalSetTrigger(dto, path, params, sites, ctx);
  for (const field of ['join', 'condition'] as const) {
    if (dto[field] !== undefined)
      ctx.errors.push({
        path: `${path}.${field}`,
        message: `${field} applies to a trigger on several signals (all: { alias: { signal } }); this one names one signal`,
      });
  }
  const match = literalMap(dto.match, `${path}.match`, SIGNAL_PARAM_NAME, 'match values', ctx);
  const values = toStepValues(dto.params, `${path}.params`, PARAM_NAME, sites, ctx.errors, 'trigger');
  checkParamValuesBytes(values, `${path}.params`, ctx);
  checkRunParams(values, `${path}.params`, params, ctx);
  return { signal: typeof dto.signal === 'string' ? dto.signal : '', match, params: values };
}

/** Why croner refuses `schedule`, or why it would never fire; undefined when it is fine. */
function scheduleProblem(schedule: string): string | undefined {
  // croner replaces `?` with the time the job is created: each scheduler would tick at another time.
  if (schedule.includes('?'))
    return `'?' is not supported in a schedule (it would depend on when the scheduler started); write *`;
  try {
    // CronPattern parses the pattern alone; Cron would also take an ISO date as a one-off schedule.
    new CronPattern(schedule);
    const next = new Cron(schedule, { paused: true, timezone: DEFAULT_CRON_TIMEZONE }).nextRun(REFERENCE);
    return next === null ? `'${schedule}' never fires (no date matches it)` : undefined;
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern: /, '');
    return `'${schedule}' is not a cron schedule: ${reason}; ${SCHEDULE_HELP}`;
  }
}

function isTimeZone(timezone: string): boolean {
  // croner takes an empty time zone as the host's local one: never what a definition means.
  if (timezone.trim() === '') return false;
  try {
    new Cron('* * * * *', { paused: true, timezone }).nextRun(REFERENCE);
    return true;
  } catch {
    return false;
  }
}

/** A map of literal values (nothing is evaluated there), with names checked against `name`. */
export function literalMap(
  raw: unknown,
  path: string,
  name: NamePattern,
  what: string,
  ctx: NormalizeContext,
): JsonObject {
  const out: JsonObject = {};
  if (!isPlainObject(raw)) return out;
  for (const [key, value] of Object.entries(raw)) {
    const at = appendPath(path, key);
    if (!name.pattern.test(key))
      ctx.errors.push({ path: at, message: `'${key}' is not a valid ${name.what}` });
    if (looksLikeExpression(value)) {
      ctx.errors.push({ path: at, message: `${what} are literal values; nothing is evaluated here` });
    }
    checkParamBytes(value as JsonValue, at, ctx);
    out[key] = value as JsonValue;
  }
  return out;
}

/** The params a trigger gives its runs: declared, of their type when literal, and covering the required ones. */
export function checkRunParams(
  given: Readonly<Record<string, StepParamValue>>,
  path: string,
  params: readonly ParamDefinition[],
  ctx: NormalizeContext,
): void {
  const declared = new Map(params.map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(given)) {
    const param = declared.get(name);
    const at = appendPath(path, name);
    if (param === undefined) {
      ctx.errors.push({
        path: at,
        message: `'${name}' is not a param of this workflow; declare it under params`,
      });
      continue;
    }
    // An expression's value is known only when a signal arrives; the run checks it then.
    const problem = 'literal' in value ? typeProblem(value.literal, param.type) : undefined;
    if (problem !== undefined) ctx.errors.push({ path: at, message: `${name} ${problem}` });
    if (
      param.secret &&
      !('literal' in value && typeof value.literal === 'string' && isSecretReference(value.literal))
    ) {
      ctx.errors.push({
        path: at,
        message: `${name} is a secret param: a trigger can only give it a reference (env:NAME or file:PATH)`,
      });
    }
  }
  const missing = params
    .filter(
      (p) =>
        p.required && p.default === undefined && p.expression === undefined && !Object.hasOwn(given, p.name),
    )
    .map((p) => p.name);
  if (missing.length > 0) {
    ctx.errors.push({
      path,
      message: `required params ${missing.join(', ')} have no value here; every run this trigger starts would be refused`,
    });
  }
}
