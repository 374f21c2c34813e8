import { type ImportReport, isObject } from './report';

/**
 * Maestro's run strategy rules, by Baton's current names. Baton's `last_only`
 * lets the running run finish, which is Maestro's SERIAL_LATEST_ONLY;
 * Maestro's LAST_ONLY stops it, which Baton does not do yet.
 */
const RULES: Readonly<Record<string, { readonly baton: string; readonly note?: string }>> = {
  SEQUENTIAL: { baton: 'sequential' },
  STRICT_SEQUENTIAL: { baton: 'strict_sequential' },
  FIRST_ONLY: { baton: 'first_only' },
  SERIAL_LATEST_ONLY: { baton: 'last_only' },
  LAST_ONLY: {
    baton: 'last_only',
    note: "Maestro's LAST_ONLY stops the running run when a new one arrives; Baton's last_only lets it finish (Maestro's SERIAL_LATEST_ONLY); maps exactly once Baton has LAST_ONLY",
  },
  PARALLEL: { baton: 'parallel' },
};

/** `run_strategy` (a rule name, a number for PARALLEL with a limit, or `{ rule, workflow_concurrency }`). */
export function convertRunStrategy(strategy: unknown, path: string, report: ImportReport): unknown {
  // Maestro runs a workflow's instances sequentially unless told otherwise; Baton's default is parallel.
  if (strategy === undefined) return 'sequential';
  if (typeof strategy === 'number') return { type: 'parallel', max_concurrent: strategy };
  const given = isObject(strategy) ? strategy : { rule: strategy };
  if (isObject(strategy))
    report.leftovers(strategy, path, ['rule', 'workflow_concurrency'], 'run strategy field');
  const name = typeof given.rule === 'string' ? given.rule.toUpperCase() : '';
  const rule = Object.hasOwn(RULES, name) ? RULES[name] : undefined;
  if (!rule) {
    report.unmapped(
      path,
      `run strategy ${JSON.stringify(given.rule)} is unknown; Maestro's default (sequential) used`,
    );
    return 'sequential';
  }
  if (rule.note) report.changed(path, rule.note);
  const concurrency = given.workflow_concurrency;
  if (rule.baton === 'parallel') {
    return typeof concurrency === 'number' && concurrency > 0
      ? { type: 'parallel', max_concurrent: concurrency }
      : 'parallel';
  }
  if (concurrency !== undefined && concurrency !== 1) {
    report.unmapped(
      path,
      `workflow_concurrency ${String(concurrency)} applies to parallel only in Baton; left out`,
    );
  }
  return rule.baton;
}
