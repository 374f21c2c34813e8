/**
 * The workflows the end-to-end suites run, as YAML documents (what a user
 * pushes). Every id is made unique per test run by the caller.
 */

/**
 * The load and fault workflows start many runs at once; they test the
 * engine under load, not the default bound on a workflow's concurrent runs
 * (20), so they lift it.
 */
export const UNBOUNDED_RUNS = 'run_strategy: { type: parallel, max_concurrent: 100000 }';

/**
 * A diamond with params and a condition: `extract` (shell, outputs `rows`)
 * fans out to `transform_full` (only when `mode == 'full'` and rows > 5) and
 * `transform_delta`; `load` joins both. With mode `delta` the full transform
 * is skipped (`condition_false`) and the join still runs.
 */
export function diamondWorkflow(id: string): string {
  return `
id: ${id}
params:
  mode: { type: string, default: delta }
  rows: { type: long, default: 10 }
  region:
    type: string
    expression: "params.mode == 'full' ? 'all' : 'eu'"
steps:
  - id: extract
    type: shell
    command: [sh, -c, 'echo "extract $REGION"; printf "{\\"rows\\": %s}" "$ROWS" > "$BATON_OUTPUT_FILE"']
    env:
      REGION: \${params.region}
      ROWS: \${params.rows}
    outputs:
      rows: result.output.rows
    next:
      - step: transform_full
        if: "params.mode == 'full' && steps.extract.outputs.rows > 5"
  - id: transform_full
    type: shell
    command: [sh, -c, 'echo full']
  - id: transform_delta
    type: noop
    depends_on: [extract]
  - id: load
    type: noop
    depends_on: [transform_full, transform_delta]
`;
}

/** One shell step that fails (user error, exit 3) on attempt 1 and succeeds on attempt 2. */
export function retryWorkflow(id: string): string {
  return `
id: ${id}
steps:
  - id: flaky
    type: shell
    command: [sh, -c, 'if [ "$BATON_ATTEMPT" -lt 2 ]; then echo "transient failure on attempt $BATON_ATTEMPT" >&2; exit 3; fi; echo "ok on attempt $BATON_ATTEMPT"']
    retry_policy:
      user_error_limit: 2
      backoff: { type: fixed, delay: 200ms }
  - id: after
    type: noop
    depends_on: [flaky]
`;
}

/**
 * One long shell step (a shell with a background \`sleep 30\`, both pids
 * written to the file named by param \`pid_file\`) that the engine must stop:
 * with \`timeout\` set it times out; without, the suite cancels it.
 */
export function longStepWorkflow(id: string, timeout: string | null): string {
  return `
id: ${id}
params:
  pid_file: { type: string, required: true }
steps:
  - id: long
    type: shell
    command: [sh, -c, 'sleep 30 & echo "$$ $!" > "$PID_FILE"; wait']
    env:
      PID_FILE: \${params.pid_file}
${timeout ? `    timeout: ${timeout}\n    retry_policy: { timeout_limit: 0 }\n` : ''}  - id: after
    type: noop
    depends_on: [long]
`;
}

/**
 * A small DAG for load: a (noop) -> b (shell; fails with exit 4 when
 * \`outcome\` is not 'ok') and c (noop) -> d (noop).
 */
export function smallWorkflow(id: string): string {
  return `
id: ${id}
${UNBOUNDED_RUNS}
params:
  outcome: { type: string, default: ok }
steps:
  - id: a
    type: noop
  - id: b
    type: shell
    depends_on: [a]
    command: [sh, -c, 'if [ "$OUTCOME" != ok ]; then echo "asked to fail" >&2; exit 4; fi; echo ok']
    env:
      OUTCOME: \${params.outcome}
  - id: c
    type: noop
    depends_on: [a]
  - id: d
    type: noop
    depends_on: [b, c]
`;
}

/**
 * Multi-step shell/noop DAG with short sleeps for crash tests: every shell
 * step appends "<run> <step> <attempt>" to the file named by \`marks\` when it
 * finishes, so the suite can count executions (at least once) next to the
 * recorded successes (exactly once).
 */
export function crashWorkflow(id: string): string {
  const shell = (stepId: string, sleepSeconds: string) =>
    `    type: shell
    command: [sh, -c, 'sleep ${sleepSeconds}; echo "$RUN_TAG ${stepId} $BATON_ATTEMPT" >> "$MARKS"']
    env:
      MARKS: \${params.marks}
      RUN_TAG: \${params.tag}`;
  return `
id: ${id}
${UNBOUNDED_RUNS}
params:
  marks: { type: string, required: true }
  tag: { type: string, required: true }
steps:
  - id: extract
${shell('extract', '0.3')}
  - id: check
    type: noop
    depends_on: [extract]
  - id: transform
    depends_on: [extract]
${shell('transform', '0.4')}
  - id: load
    depends_on: [transform, check]
${shell('load', '0.2')}
  - id: done
    type: noop
    depends_on: [load]
`;
}
