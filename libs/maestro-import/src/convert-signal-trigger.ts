import { fitsParamType, type JsonValue, type ParamType } from '@baton/domain';
import { SIGNAL_NAME, SIGNAL_PARAM_NAME } from '@baton/definitions/dto/patterns';
import { MAX_SIGNAL_SET_MEMBERS } from '@baton/definitions/normalize-signal-set';
import { convertStepParams, isExpression } from './convert-params';
import { type BatonValue, oneLine, paramType } from './convert-values';
import { type ImportReport, type JsonObject, child, isObject } from './report';
import { type KnownParam, celLiteral } from './sel/sel-scope';
import { fieldRef, translateSel } from './sel/sel-to-cel';

/** Maestro's match operators besides `=` (`SignalOperator`), which CEL spells the same. */
const RANGE_OPERATORS = new Set(['>', '>=', '<', '<=']);

/** One entry of a Maestro trigger's `definitions`, by the alias Baton's `all` gives it. */
interface Member {
  readonly name: string;
  readonly alias: string;
  readonly at: string;
  readonly spec: JsonObject;
  /** The CEL of the member's signal params in the set's condition and params. */
  readonly params: string;
}

/**
 * A Maestro signal trigger. On one signal whose matches are all `=`, it is
 * Baton's one-signal trigger `{ signal, match, params }`; otherwise a trigger
 * on a set `{ all, join, condition, params }`: each Maestro signal becomes an
 * alias, range matches (`>=`, ...) and join keys whose names differ between
 * signals become terms of the CEL condition, and Maestro's SEL condition (over
 * the trigger's params) is translated over `signals.<alias>.params`. What
 * cannot be translated leaves the trigger out, reported: a trigger that
 * starts runs Maestro would not is worse than none.
 */
export function convertSignalTrigger(
  trigger: JsonObject,
  path: string,
  declared: Readonly<Record<string, JsonObject>>,
  report: ImportReport,
): JsonObject | undefined {
  report.leftovers(
    trigger,
    path,
    ['definitions', 'condition', 'dedup_expr', 'params'],
    'signal trigger field',
  );
  const members = membersOf(trigger, path, report);
  if (!members) return undefined;
  const matches = new Map<string, JsonObject>();
  const terms: string[] = [];
  for (const member of members) {
    const match = memberMatch(member, terms, report);
    if (!match) return undefined;
    matches.set(member.alias, match);
  }
  const join = joinKeys(members, terms, report);
  if (!join) return undefined;
  const single =
    members.length === 1 && terms.length === 0 && join.length === 0 && trigger.condition === undefined;
  const signals = new Map(
    members.map((m): [string, string] => [m.name, single ? 'signal.params' : m.params]),
  );
  const params = convertStepParams(
    trigger.params,
    child(path, 'params'),
    { params: new Map(), triggerSignals: signals },
    report,
  );
  if (typeof trigger.condition === 'string') {
    const condition = translateCondition(trigger, path, signals, params, report);
    if (condition === undefined) return undefined;
    terms.push(condition);
  } else if (trigger.condition !== undefined) {
    report.unmapped(child(path, 'condition'), 'a condition must be SEL text; trigger left out');
    return undefined;
  }
  if (trigger.dedup_expr !== undefined) {
    report.unmapped(
      child(path, 'dedup_expr'),
      "Baton dedups signals by the signal's id, not an expression; left out",
    );
  }
  keepDeclared(params, path, declared, report);
  const runParams = Object.keys(params).length > 0 ? { params } : {};
  if (single) {
    const match = matches.get(members[0].alias)!;
    return { signal: members[0].name, ...(Object.keys(match).length > 0 ? { match } : {}), ...runParams };
  }
  const all = Object.fromEntries(
    members.map((m) => {
      const match = matches.get(m.alias)!;
      return [m.alias, { signal: m.name, ...(Object.keys(match).length > 0 ? { match } : {}) }];
    }),
  );
  return {
    all,
    ...(join.length > 0 ? { join } : {}),
    ...(terms.length > 0
      ? { condition: terms.map((t) => (terms.length > 1 ? `(${t})` : t)).join(' && ') }
      : {}),
    ...runParams,
  };
}

function membersOf(trigger: JsonObject, path: string, report: ImportReport): Member[] | undefined {
  const definitions = isObject(trigger.definitions) ? Object.entries(trigger.definitions) : [];
  if (definitions.length === 0 || definitions.length > MAX_SIGNAL_SET_MEMBERS) {
    report.unmapped(
      path,
      `a trigger on ${definitions.length} signals; Baton's signal triggers take 1 to ${MAX_SIGNAL_SET_MEMBERS}; trigger left out`,
    );
    return undefined;
  }
  const used = new Set<string>();
  const members: Member[] = [];
  for (const [name, definition] of definitions) {
    const at = child(child(path, 'definitions'), name);
    if (!SIGNAL_NAME.test(name)) {
      report.unmapped(at, `signal name '${name}' is not one Baton accepts; trigger left out`);
      return undefined;
    }
    const spec: JsonObject = isObject(definition) ? definition : {};
    report.leftovers(spec, at, ['match_params', 'join_keys'], 'signal definition field');
    const alias = aliasOf(name, used);
    members.push({ name, alias, at, spec, params: `signals.${alias}.params` });
  }
  return members;
}

/** A CEL identifier from a signal name (`warehouse/sales.loaded` → `warehouse_sales_loaded`), unique in the set. */
function aliasOf(name: string, used: Set<string>): string {
  const base = /^[A-Za-z_]/.test(name) ? name.replace(/[^A-Za-z0-9_]/g, '_') : `s_${name}`;
  let alias = base;
  for (let n = 2; used.has(alias); n++) alias = `${base}_${n}`;
  used.add(alias);
  return alias;
}

/**
 * `match_params`: `=` on a literal is Baton's `match`; a range operator is a
 * condition term, as Maestro applies it (`signal param OP value`). Maestro
 * matches long or string values only.
 */
function memberMatch(member: Member, terms: string[], report: ImportReport): JsonObject | undefined {
  const match: JsonObject = {};
  const given = isObject(member.spec.match_params) ? member.spec.match_params : {};
  for (const [key, condition] of Object.entries(given)) {
    const where = child(child(member.at, 'match_params'), key);
    const operator = isObject(condition) ? (condition.operator ?? '=') : undefined;
    const value = isObject(condition) ? condition.value : undefined;
    const literal =
      typeof value === 'string'
        ? !value.includes('${')
        : typeof value === 'number' && Number.isInteger(value);
    if (!literal || (operator !== '=' && !RANGE_OPERATORS.has(String(operator)))) {
      report.unmapped(
        where,
        `a match on ${key} needs a long or string literal and one of =, >, >=, <, <= (got ${JSON.stringify(value)} with ${String(operator)}); trigger left out`,
      );
      return undefined;
    }
    if (operator === '=' && SIGNAL_PARAM_NAME.pattern.test(key)) match[key] = value;
    else
      terms.push(
        `${member.params}${fieldRef(key)} ${operator === '=' ? '==' : String(operator)} ${celLiteral(value as string | number).cel}`,
      );
  }
  return match;
}

/**
 * Maestro's `join_keys` pair the signals' params by position (the lists are
 * of one length); a position with one name throughout is Baton's `join`, one
 * with different names a condition term of equalities.
 */
function joinKeys(members: readonly Member[], terms: string[], report: ImportReport): string[] | undefined {
  const lists = members.map((m): unknown => m.spec.join_keys ?? []);
  const isNames = (keys: unknown): keys is string[] =>
    Array.isArray(keys) && keys.every((k) => typeof k === 'string');
  const length = isNames(lists[0]) ? lists[0].length : -1;
  const bad = lists.findIndex((keys) => !isNames(keys) || keys.length !== length);
  if (bad >= 0) {
    report.unmapped(
      child(members[bad].at, 'join_keys'),
      'join keys must be lists of param names, of the same length for every signal; trigger left out',
    );
    return undefined;
  }
  const keys = lists as string[][];
  const join: string[] = [];
  for (let i = 0; i < keys[0].length; i++) {
    const names = keys.map((k) => k[i]);
    if (names.every((n) => n === names[0]) && SIGNAL_PARAM_NAME.pattern.test(names[0])) {
      join.push(names[0]);
      continue;
    }
    const first = `${members[0].params}${fieldRef(names[0])}`;
    for (let m = 1; m < members.length; m++)
      terms.push(`${first} == ${members[m].params}${fieldRef(names[m])}`);
    if (members.length === 1)
      report.changed(
        child(members[0].at, 'join_keys'),
        `'${names[0]}' is not a param name Baton can join on; with one signal, it is not required to be present`,
      );
  }
  return join;
}

/**
 * Maestro's condition reads the trigger's params, each translated already
 * over the same signals: they are written in place. Maestro uses up a set
 * whose condition is false; Baton leaves its signals for another set.
 */
function translateCondition(
  trigger: JsonObject,
  path: string,
  signals: ReadonlyMap<string, string>,
  params: Readonly<Record<string, BatonValue>>,
  report: ImportReport,
): string | undefined {
  const at = child(path, 'condition');
  const given = isObject(trigger.params) ? trigger.params : {};
  const known = new Map<string, KnownParam>();
  for (const [name, value] of Object.entries(params)) {
    const definition = given[name];
    const type = (isObject(definition) && paramType(definition)?.sel) || 'unknown';
    const cel = isExpression(value) ? value.expression : literalCel(value);
    if (cel !== undefined) known.set(name, { type, cel });
  }
  const translated = translateSel(String(trigger.condition), {
    params: new Map(),
    stepParams: known,
    triggerSignals: signals,
  });
  if (!translated.ok) {
    report.unmapped(at, `${translated.reason}: ${oneLine(String(trigger.condition))}; trigger left out`);
    return undefined;
  }
  report.changed(
    at,
    'Maestro uses up the signals of a set whose condition is false; Baton leaves them to join another set (within the retention)',
  );
  return translated.cel;
}

function literalCel(value: BatonValue): string | undefined {
  const literal = isObject(value) && 'literal' in value ? value.literal : value;
  try {
    return celLiteral(literal as JsonValue).cel;
  } catch {
    return undefined;
  }
}

/** Baton refuses a trigger param the workflow does not declare, or a literal not of its type. */
function keepDeclared(
  params: Record<string, BatonValue>,
  path: string,
  declared: Readonly<Record<string, JsonObject>>,
  report: ImportReport,
): void {
  for (const [key, value] of Object.entries(params)) {
    const at = child(child(path, 'params'), key);
    const type = Object.hasOwn(declared, key) ? (declared[key].type as ParamType) : undefined;
    if (type === undefined) {
      report.unmapped(at, `the workflow declares no param '${key}'; left out of the trigger`);
      delete params[key];
      continue;
    }
    const literal = isObject(value) && 'literal' in value ? value.literal : value;
    if (!isExpression(value) && !fitsParamType(literal as JsonValue, type)) {
      report.unmapped(
        at,
        `${JSON.stringify(literal)} is not a ${type}, the workflow param's type; left out of the trigger`,
      );
      delete params[key];
    }
  }
}
