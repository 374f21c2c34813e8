import type { RunDetail, RunSummary, StepView } from '@baton/api/responses';
import type { Style } from './style';
import { renderFields, renderTable } from './table';
import { activeDuration, activeMs } from './run-duration';
import { formatAge, formatTimestamp, spanDuration } from './time';

/** Statuses a run never leaves. */
export const TERMINAL_RUN_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

/** `step_failed at step load: exit code 2`. */
export function formatFailure(failure: NonNullable<RunSummary['failure']>): string {
  const step = failure.stepId === null ? '' : ` at step ${failure.stepId}`;
  return `${failure.reason}${step}${failure.message === '' ? '' : `: ${failure.message}`}`;
}

export function renderRunsTable(runs: readonly RunSummary[], style: Style, now: number): string {
  return renderTable(
    ['RUN', 'WORKFLOW', 'VERSION', 'STATUS', 'CREATED', 'DURATION'],
    runs.map((run) => [
      run.runId,
      run.workflowId,
      String(run.workflowVersion),
      style.status(run.status),
      formatAge(run.createdAt, now),
      // A list has no attempts to sum (see activeDuration): a restarted run's span is marked as wall-clock.
      `${spanDuration(run.startedAt, run.endedAt, now)}${run.runAttempt > 1 ? '*' : ''}`,
    ]),
  );
}

/** The footnote for `renderRunsTable`'s `*`, or '' when no run in the list was restarted. */
export function restartedFootnote(runs: readonly RunSummary[]): string {
  return runs.some((run) => run.runAttempt > 1)
    ? '* restarted: time since the first start; baton get RUN shows the active time\n'
    : '';
}

/** `iteration 7 of step each (attempt 1) of run r-1`; `index` is 0 for a subworkflow, which has one child. */
export function formatParent(parent: NonNullable<RunSummary['parent']>): string {
  return `iteration ${parent.index} of step ${parent.stepId} (attempt ${parent.attempt}) of run ${parent.runId}`;
}

/**
 * `baton get`: the run's fields, its steps, and why it failed. What only
 * some runs have (a parent, a restart, breakpoints, a stop) shows only then.
 */
export function renderRunDetail(run: RunDetail, style: Style, now: number): string {
  const fields: [string, string][] = [
    ['run', run.runId],
    ['workflow', `${run.workflowId} v${run.workflowVersion}`],
    ['status', style.status(run.status)],
  ];
  if (run.runAttempt > 1) fields.push(['attempt', `${run.runAttempt} (restarted)`]);
  if (run.parent) fields.push(['parent', formatParent(run.parent)]);
  if (run.stopping) fields.push(['stopping', run.stopping.reason]);
  if (run.breakpoints.length > 0) fields.push(['breakpoints', run.breakpoints.join(', ')]);
  fields.push(
    ['request', run.requestId],
    ['created', `${formatTimestamp(run.createdAt)} (${formatAge(run.createdAt, now)})`],
    ['duration', durationField(run, now)],
  );
  if (Object.keys(run.params).length > 0) fields.push(['params', JSON.stringify(run.params)]);
  if (run.failure) fields.push(['failure', style.red(formatFailure(run.failure))]);
  const steps = run.steps.length === 0 ? 'no steps yet\n' : renderStepsTable(run.steps, style, now);
  return `${renderFields(fields)}\n${steps}`;
}

/** `1m 05s` or, restarted, `1m 05s active (3h 02m since the first start)`. */
function durationField(run: RunDetail, now: number): string {
  if (activeMs(run, now) === null) return spanDuration(run.startedAt, run.endedAt, now);
  return `${activeDuration(run, now)} active (${spanDuration(run.startedAt, run.endedAt, now)} since the first start)`;
}

const NOTE_WIDTH = 60;

export function renderStepsTable(steps: readonly StepView[], style: Style, now: number): string {
  return renderTable(
    ['STEP', 'STATUS', 'ATTEMPT', 'DURATION', 'NOTE'],
    steps.map((step) => [
      step.stepId,
      style.status(step.status),
      step.attempt === 0 ? '-' : String(step.attempt),
      spanDuration(step.startedAt, step.endedAt, now),
      truncate(stepNote(step), NOTE_WIDTH),
    ]),
  );
}

/**
 * Why a step is where it is: its error, why it was skipped, what a retry
 * waits after, what a waiting step waits for; a loop's children counted.
 */
export function stepNote(step: StepView): string {
  if (step.errorMessage !== null) {
    return step.errorKind === null ? step.errorMessage : `${step.errorKind}: ${step.errorMessage}`;
  }
  if (step.skipReason !== null) {
    return step.skipMessage === null ? step.skipReason : `${step.skipReason}: ${step.skipMessage}`;
  }
  if (step.status === 'retry_waiting') {
    const last = step.attempts[step.attempts.length - 1];
    if (last?.message) return `retrying after: ${last.message}`;
  }
  if (step.status === 'paused') return `at a breakpoint (baton resume <run> ${step.stepId})`;
  if (step.progress !== null) return formatProgress(step.progress);
  if (step.status === 'waiting' && step.signal !== null) return `waiting for signal ${step.signal}`;
  return '';
}

/**
 * `1234/100000 done, 20 running, 0 failed` (a while loop does not know its
 * total: `3 done, ...`); cancelled children only when there are some.
 */
export function formatProgress(progress: NonNullable<StepView['progress']>): string {
  const done = progress.succeeded + progress.failed + progress.cancelled;
  const parts = [
    progress.total === null ? `${done} done` : `${done}/${progress.total} done`,
    `${progress.running} running`,
    `${progress.failed} failed`,
  ];
  if (progress.cancelled > 0) parts.push(`${progress.cancelled} cancelled`);
  return parts.join(', ');
}

export function truncate(text: string, width: number): string {
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}
