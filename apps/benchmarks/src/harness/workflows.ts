/**
 * The benchmarks measure the engine, not the default bound on a workflow's
 * concurrent runs (20): every benchmark workflow lifts it.
 */
const UNBOUNDED_RUNS = 'run_strategy: { type: parallel, max_concurrent: 100000 }';

/** What a benchmark step does: nothing (`noop`), or start the process `true` (`shell`: the cost of a real process). */
export type StepKind = 'noop' | 'shell';

const STEP_LINES: Record<StepKind, readonly string[]> = {
  noop: ['    type: noop'],
  shell: ['    type: shell', "    command: ['true']"],
};

/** A chain of `steps` steps of one kind, each depending on the previous one. */
export function chainWorkflow(id: string, steps: number, kind: StepKind = 'noop'): string {
  const lines = [`id: ${id}`, UNBOUNDED_RUNS, 'steps:'];
  for (let i = 1; i <= steps; i++) {
    lines.push(`  - id: s${i}`, ...STEP_LINES[kind]);
    if (i > 1) lines.push(`    depends_on: [s${i - 1}]`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Ten noop steps as a DAG with two fan-outs and two joins:
 * s1 -> (s2, s3, s4) -> s5 -> (s6, s7, s8) -> s9 -> s10.
 */
export function dagWorkflow(id: string): string {
  const deps: Record<string, string[]> = {
    s1: [],
    s2: ['s1'],
    s3: ['s1'],
    s4: ['s1'],
    s5: ['s2', 's3', 's4'],
    s6: ['s5'],
    s7: ['s5'],
    s8: ['s5'],
    s9: ['s6', 's7', 's8'],
    s10: ['s9'],
  };
  const lines = [`id: ${id}`, UNBOUNDED_RUNS, 'steps:'];
  for (const [step, on] of Object.entries(deps)) {
    lines.push(`  - id: ${step}`, '    type: noop');
    if (on.length > 0) lines.push(`    depends_on: [${on.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

export const DAG_STEPS = 10;

/** The id of the fan-out workflow's foreach step; its iterations run as child runs of workflow `<id>.each`. */
export const FOREACH_STEP_ID = 'each';

/**
 * One foreach over `i` in [0, iterations), `concurrency` iterations at a
 * time, whose body is one noop step. Its outputs repeat the step result's
 * succeeded count, so the run detail shows how many iterations succeeded.
 */
export function foreachWorkflow(id: string, iterations: number, concurrency: number): string {
  return [
    `id: ${id}`,
    UNBOUNDED_RUNS,
    'steps:',
    `  - id: ${FOREACH_STEP_ID}`,
    '    type: foreach',
    `    loop_params: { i: { range: { from: 0, to: ${iterations} } } }`,
    `    concurrency: ${concurrency}`,
    '    steps:',
    '      - id: body',
    '        type: noop',
    '    outputs:',
    '      succeeded: result.succeeded',
    '',
  ].join('\n');
}
