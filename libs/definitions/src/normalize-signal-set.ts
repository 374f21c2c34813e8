import type { ParamDefinition, SignalSetMember, SignalSetTrigger } from '@baton/domain';
import { appendPath } from './definition-error';
import { SIGNAL_NAME, SIGNAL_NAME_RULE, SIGNAL_PARAM_NAME } from './dto/patterns';
import { isPlainObject } from './dto/transforms';
import type { SignalTriggerDto } from './dto/triggers.dto';
import type { ExpressionSite } from './expression-checks';
import { type NormalizeContext, checkParamValuesBytes } from './normalize-context';
import { checkRunParams, literalMap } from './normalize-triggers';
import { toStepValues } from './step-values';

/** More would make the search for a matching set (one signal per alias) costly. */
export const MAX_SIGNAL_SET_MEMBERS = 8;

const MEMBER_FIELDS = new Set(['signal', 'match']);

/**
 * `{ all: { alias: { signal, match? } }, join?, condition?, params? }` → a
 * `SignalSetTrigger`. Aliases are CEL identifiers (the condition and params
 * read `signals.<alias>`), a reference to an alias `all` does not declare is
 * refused here rather than failing every set at run time.
 */
export function signalSetTrigger(
  dto: SignalTriggerDto,
  path: string,
  params: readonly ParamDefinition[],
  sites: ExpressionSite[],
  ctx: NormalizeContext,
): SignalSetTrigger {
  for (const field of ['signal', 'match'] as const) {
    if (dto[field] !== undefined)
      ctx.errors.push({
        path: `${path}.${field}`,
        message: `a trigger on several signals names them under all; move ${field} into a member of all`,
      });
  }
  const all = members(dto.all, `${path}.all`, ctx);
  const aliases = new Set(Object.keys(all));
  const join = Array.isArray(dto.join) ? dto.join.filter((n): n is string => typeof n === 'string') : [];
  join.forEach((name, i) => {
    if (!SIGNAL_PARAM_NAME.pattern.test(name))
      ctx.errors.push({
        path: `${path}.join[${i}]`,
        message: `'${name}' is not a valid ${SIGNAL_PARAM_NAME.what}`,
      });
  });
  const condition = typeof dto.condition === 'string' ? dto.condition : undefined;
  if (condition !== undefined) {
    sites.push({ path: `${path}.condition`, source: condition, scope: 'signal-set' });
    checkAliases(condition, aliases, `${path}.condition`, ctx);
  }
  const before = sites.length;
  const values = toStepValues(
    dto.params,
    `${path}.params`,
    SIGNAL_PARAM_NAME,
    sites,
    ctx.errors,
    'signal-set',
  );
  for (const site of sites.slice(before)) checkAliases(site.source, aliases, site.path, ctx);
  checkParamValuesBytes(values, `${path}.params`, ctx);
  checkRunParams(values, `${path}.params`, params, ctx);
  return { all, join, ...(condition === undefined ? {} : { condition }), params: values };
}

function members(raw: unknown, path: string, ctx: NormalizeContext): Record<string, SignalSetMember> {
  const out: Record<string, SignalSetMember> = {};
  if (!isPlainObject(raw)) return out; // reported by the DTO validation
  const entries = Object.entries(raw);
  if (entries.length === 0 || entries.length > MAX_SIGNAL_SET_MEMBERS)
    ctx.errors.push({
      path,
      message: `all needs 1 to ${MAX_SIGNAL_SET_MEMBERS} signals by alias, like { sales: { signal: table.loaded } }; it has ${entries.length}`,
    });
  for (const [alias, member] of entries) {
    const at = appendPath(path, alias);
    if (!SIGNAL_PARAM_NAME.pattern.test(alias))
      ctx.errors.push({
        path: at,
        message: `'${alias}' is not a valid alias (letters, digits and _, not starting with a digit)`,
      });
    if (!isPlainObject(member)) {
      ctx.errors.push({
        path: at,
        message: 'each member of all must be a map like { signal: table.loaded, match: { table: sales } }',
      });
      continue;
    }
    for (const field of Object.keys(member)) {
      if (!MEMBER_FIELDS.has(field))
        ctx.errors.push({
          path: appendPath(at, field),
          message: `unknown field '${field}'; a member of all has signal and match`,
        });
    }
    const signal = member.signal;
    if (typeof signal !== 'string' || !SIGNAL_NAME.test(signal))
      ctx.errors.push({ path: `${at}.signal`, message: `signal ${SIGNAL_NAME_RULE}` });
    const match = literalMap(member.match, `${at}.match`, SIGNAL_PARAM_NAME, 'match values', ctx);
    if (member.match !== undefined && !isPlainObject(member.match))
      ctx.errors.push({
        path: `${at}.match`,
        message: 'match must be a map of signal param name → literal value',
      });
    out[alias] = { signal: typeof signal === 'string' ? signal : '', match };
  }
  return out;
}

/** `signals.<alias>` for an alias `all` does not declare (a computed key cannot be checked here). */
function checkAliases(
  source: string,
  aliases: ReadonlySet<string>,
  path: string,
  ctx: NormalizeContext,
): void {
  for (const [, alias] of source.matchAll(/\bsignals\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (!aliases.has(alias))
      ctx.errors.push({
        path,
        message: `signals.${alias} is not a signal of this trigger; all declares ${[...aliases].join(', ') || 'none'}`,
      });
  }
}
