import type { RunDetail, StepView } from '@baton/api/responses';
import type { Output } from '../context';
import { formatFailure, renderStepsTable, stepNote, truncate } from './run';
import { stripAnsi, visibleLength, type Style } from './style';
import { activeDuration, activeMs } from './run-duration';
import { spanDuration } from './time';

/**
 * Live progress of a run for `start --wait`, fed by polling: `update` after
 * every poll (null while the run is not projected yet), `finish` once with
 * the run in a terminal status.
 */
export interface ProgressView {
  update(run: RunDetail | null): void;
  finish(run: RunDetail): void;
}

export interface ProgressOptions {
  readonly out: Output;
  readonly style: Style;
  readonly now: () => number;
  readonly runId: string;
}

/** Redrawn in place on a terminal; one line per change otherwise (logs, CI, pipes). */
export function createProgressView(options: ProgressOptions): ProgressView {
  return options.out.isTTY ? new RedrawnProgress(options) : new LineProgress(options);
}

/** `run r-1 succeeded in 5.3s` / `run r-1 failed after 2.0s: step_failed at step load: exit 2`. */
export function formatOutcome(run: RunDetail, style: Style, now: number): string {
  const took =
    activeMs(run, now) === null
      ? spanDuration(run.startedAt ?? run.createdAt, run.endedAt, now)
      : activeDuration(run, now);
  const status = style.status(run.status);
  if (run.status === 'succeeded') return `run ${run.runId} ${status} in ${took}`;
  const why = run.failure ? `: ${formatFailure(run.failure)}` : '';
  return `run ${run.runId} ${status} after ${took}${why}`;
}

// Cursor up N lines, to column 1, then erase to the end of the screen.
const rewind = (lines: number): string => `\u001b[${lines}A\r\u001b[0J`;

class RedrawnProgress implements ProgressView {
  private drawn = 0;

  constructor(private readonly options: ProgressOptions) {}

  update(run: RunDetail | null): void {
    this.draw(
      run === null ? `run ${this.options.runId}  waiting for it to be scheduled…\n` : this.block(run),
    );
  }

  finish(run: RunDetail): void {
    this.draw(this.block(run));
    this.drawn = 0;
    this.options.out.write(`${formatOutcome(run, this.options.style, this.options.now())}\n`);
  }

  private block(run: RunDetail): string {
    const { style, now } = this.options;
    const at = now();
    const header = `run ${run.runId}  ${run.workflowId} v${run.workflowVersion}  ${style.status(run.status)}  ${activeDuration(run, at)}`;
    const steps = run.steps.length === 0 ? '' : renderStepsTable(run.steps, style, at).replace(/^/gm, '  ');
    return `${header}\n${steps}`.replace(/\n {2}$/, '\n');
  }

  /** Lines are cut to the terminal's width: a wrapped line would throw the rewind count off. */
  private draw(text: string): void {
    // columns is 0 or undefined when the terminal does not say (e.g. under `script`).
    const width = Math.max(20, (this.options.out.columns || 80) - 1);
    const lines = text
      .split('\n')
      .filter((line, i, all) => i < all.length - 1 || line !== '')
      .map((line) => (visibleLength(line) > width ? truncate(stripAnsi(line), width) : line));
    const prefix = this.drawn > 0 ? rewind(this.drawn) : '';
    this.options.out.write(`${prefix}${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

class LineProgress implements ProgressView {
  private started = false;
  private readonly seen = new Map<string, string>();

  constructor(private readonly options: ProgressOptions) {}

  update(run: RunDetail | null): void {
    if (run === null) return;
    const { out, style } = this.options;
    if (!this.started) {
      this.started = true;
      out.write(`run ${run.runId}  ${run.workflowId} v${run.workflowVersion}  ${style.status(run.status)}\n`);
    }
    for (const step of run.steps) {
      const key = `${step.status}#${step.attempt}`;
      if (this.seen.get(step.stepId) === key) continue;
      this.seen.set(step.stepId, key);
      out.write(`  ${this.stepLine(step)}\n`);
    }
  }

  finish(run: RunDetail): void {
    this.update(run);
    this.options.out.write(`${formatOutcome(run, this.options.style, this.options.now())}\n`);
  }

  private stepLine(step: StepView): string {
    const parts = [step.stepId, this.options.style.status(step.status)];
    if (step.attempt > 0) parts.push(`attempt ${step.attempt}`);
    if (step.endedAt !== null) parts.push(spanDuration(step.startedAt, step.endedAt, this.options.now()));
    const note = stepNote(step);
    if (note !== '') parts.push(note);
    return parts.join('  ');
  }
}
