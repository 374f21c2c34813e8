/** Every system `compare` knows; `baseline*` is the build given by `--baton-baseline`. */
export const SYSTEMS = ['baton', 'baton-kafka', 'baseline', 'baseline-kafka', 'restate', 'bullmq'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export interface CompareOptions {
  readonly systems: readonly SystemName[];
  readonly rounds: number;
  /** W1: measured chains per round (after one warm-up). */
  readonly chains: number;
  /** W2: runs submitted at once. */
  readonly runs: number;
  /** W2 with `shell: ['true']` steps (Baton only): runs submitted at once; default `runs`. */
  readonly shellRuns: number;
  /** W3: children of the one run. */
  readonly children: number;
  /** A checkout of another Baton build, with node_modules and dist (`npm run build` there). */
  readonly baseline: string | null;
}

/** The options that take a value. */
const VALUED = [
  '--systems',
  '--rounds',
  '--chains',
  '--runs',
  '--shell-runs',
  '--children',
  '--baton-baseline',
];
const SIZES = { rounds: 3, chains: 10, runs: 200, children: 1000 };
const SMOKE_SIZES = { rounds: 1, chains: 2, runs: 10, children: 20 };

/**
 * `compare [--systems a,b] [--rounds N] [--chains N] [--runs N] [--shell-runs N] [--children N]
 * [--baton-baseline DIR] [--smoke]`. Default systems: baton, restate, bullmq,
 * and baseline when a baseline is given. Throws with a message that says what
 * is wrong.
 */
export function parseCompareArgs(argv: readonly string[]): CompareOptions {
  const values = new Map<string, string>();
  let smoke = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--smoke') smoke = true;
    else if (VALUED.includes(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
      values.set(arg, value);
    } else throw new Error(`unknown option ${arg}`);
  }
  const sizes = smoke ? SMOKE_SIZES : SIZES;
  const count = (name: string, otherwise: number): number => {
    const given = values.get(`--${name}`);
    if (given === undefined) return otherwise;
    const n = Number(given);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number >= 1, got ${given}`);
    return n;
  };
  const baseline = values.get('--baton-baseline') ?? null;
  const systems = parseSystems(values.get('--systems'), baseline !== null);
  if (baseline === null && systems.some((s) => s.startsWith('baseline')))
    throw new Error('the baseline systems need --baton-baseline DIR');
  return {
    systems,
    rounds: count('rounds', sizes.rounds),
    chains: count('chains', sizes.chains),
    runs: count('runs', sizes.runs),
    shellRuns: count('shell-runs', count('runs', sizes.runs)),
    children: count('children', sizes.children),
    baseline,
  };
}

function parseSystems(list: string | undefined, withBaseline: boolean): SystemName[] {
  if (list === undefined)
    return withBaseline ? ['baton', 'baseline', 'restate', 'bullmq'] : ['baton', 'restate', 'bullmq'];
  const names = list.split(',').filter((name) => name !== '');
  for (const name of names)
    if (!(SYSTEMS as readonly string[]).includes(name))
      throw new Error(`unknown system ${name}; known: ${SYSTEMS.join(', ')}`);
  if (names.length === 0) throw new Error('--systems needs at least one system');
  return [...new Set(names)] as SystemName[];
}

/** Round r (from 1) starts with the r-th system, so no system always runs first or on a warmer machine. */
export function roundOrder<T>(systems: readonly T[], round: number): T[] {
  const shift = (round - 1) % systems.length;
  return [...systems.slice(shift), ...systems.slice(0, shift)];
}
