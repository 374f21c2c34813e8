import { DEFAULT_DEFINITION_LIMITS, type DefinitionLimits } from './limits';

/** The limits a deployment may change, by environment variable. */
export const LIMIT_VARIABLES = {
  BATON_LIMIT_MAX_STEPS: 'maxSteps',
  BATON_LIMIT_MAX_FOREACH_ITERATIONS: 'maxForeachIterations',
  BATON_LIMIT_MAX_NESTING_DEPTH: 'maxNestingDepth',
  BATON_LIMIT_MAX_LOOP_CONCURRENCY: 'maxLoopConcurrency',
  BATON_LIMIT_MAX_WHILE_ITERATIONS: 'maxWhileIterations',
  BATON_LIMIT_MAX_PARAM_BYTES: 'maxParamBytes',
} as const satisfies Record<string, keyof DefinitionLimits>;

/**
 * The definition limits of this deployment: the defaults, overridden by each
 * `BATON_LIMIT_*` variable that is set to a positive integer. Unset or empty
 * means the default. Anything else throws, naming the variable, so a typo
 * stops the process at start instead of silently keeping a default. The API
 * (validation on push) and the engine (run-time checks) must read the same
 * environment, or a workflow could be accepted and then refused.
 *
 * @example
 *   const limits = definitionLimitsFromEnv(process.env);
 *   parseWorkflowDocument(text, 'yaml', limits);
 */
export function definitionLimitsFromEnv(env: NodeJS.ProcessEnv): DefinitionLimits {
  const limits: { -readonly [K in keyof DefinitionLimits]: number } = { ...DEFAULT_DEFINITION_LIMITS };
  for (const [variable, key] of Object.entries(LIMIT_VARIABLES)) {
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
      throw new Error(
        `${variable} must be a positive integer (default ${DEFAULT_DEFINITION_LIMITS[key]}), got '${raw}'`,
      );
    }
    limits[key] = value;
  }
  return limits;
}
