import { type ImportReport, isObject } from './report';

/**
 * Maestro's run strategy rules by Baton's names, which are Maestro's: both
 * LAST_ONLY (stops the running run) and SERIAL_LATEST_ONLY (lets it finish)
 * have their own, and PARALLEL is bounded at 20 runs by default in both.
 */
const RULES: Readonly<Record<string, string>> = {
  SEQUENTIAL: 'sequential',
  STRICT_SEQUENTIAL: 'strict_sequential',
  FIRST_ONLY: 'first_only',
  LAST_ONLY: 'last_only',
  SERIAL_LATEST_ONLY: 'serial_latest_only',
  PARALLEL: 'parallel',
};

/** Baton's bound on `max_concurrent` and `step_concurrency`. */
const MAX_LIMIT = 100_000;

function isLimit(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_LIMIT;
}

/** `run_strategy` (a rule name, a number for PARALLEL with a limit, or `{ rule, workflow_concurrency }`). */
export function convertRunStrategy(strategy: unknown, path: string, report: ImportReport): unknown {
  // Maestro runs a workflow's instances sequentially unless told otherwise; Baton's default is parallel.
  if (strategy === undefined) return 'sequential';
  const given = isObject(strategy)
    ? strategy
    : typeof strategy === 'number'
      ? { rule: 'PARALLEL', workflow_concurrency: strategy }
      : { rule: strategy };
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
  const concurrency = given.workflow_concurrency;
  if (rule === 'parallel' && isLimit(concurrency)) return { type: 'parallel', max_concurrent: concurrency };
  if (concurrency !== undefined && (rule === 'parallel' || concurrency !== 1)) {
    report.unmapped(
      path,
      rule === 'parallel'
        ? `workflow_concurrency ${JSON.stringify(concurrency)} is not a whole number from 1 to ${MAX_LIMIT}; Baton's default bound (20 runs, Maestro's default) used`
        : `workflow_concurrency ${JSON.stringify(concurrency)} applies to parallel only in Baton; left out`,
    );
  }
  return rule;
}

/**
 * Maestro's `step_concurrency` as Baton's: the same bound, but Maestro counts
 * the active steps of all runs of the workflow, Baton those of each run.
 */
export function convertStepConcurrency(
  value: unknown,
  path: string,
  report: ImportReport,
): number | undefined {
  if (!isLimit(value)) {
    report.unmapped(path, `step_concurrency must be a whole number from 1 to ${MAX_LIMIT}; left out`);
    return undefined;
  }
  report.changed(
    path,
    "Maestro counts the active steps of all the workflow's runs; Baton counts them per run, so N runs may have N times as many steps active",
  );
  return value;
}
