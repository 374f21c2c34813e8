// The attempts of a run on one time axis: a light bar while an attempt waited
// (ready -> started), a solid one while it ran (started -> ended, or now).
import { statusLook } from '../status';
import type { StepView } from '../types';

const MAX_ROWS = 400;

export function Gantt(props: {
  steps: readonly StepView[];
  now: number;
  onSelect: (stepId: string) => void;
  selected: string | null;
}) {
  const rows = props.steps
    .flatMap((s) => s.attempts.map((a) => ({ step: s, attempt: a })))
    .filter((r) => r.attempt.readyAt !== null || r.attempt.startedAt !== null)
    .sort(
      (a, b) =>
        (a.attempt.readyAt ?? a.attempt.startedAt ?? 0) - (b.attempt.readyAt ?? b.attempt.startedAt ?? 0),
    );
  if (rows.length === 0) return <p class="muted">No attempt has started yet.</p>;
  const start = Math.min(...rows.map((r) => r.attempt.readyAt ?? r.attempt.startedAt ?? props.now));
  const end = Math.max(...rows.map((r) => r.attempt.endedAt ?? props.now), start + 1);
  const span = end - start;
  const pct = (t: number) => `${((t - start) / span) * 100}%`;
  const width = (a: number, b: number) => `${Math.max(0.3, ((b - a) / span) * 100)}%`;
  const shown = rows.slice(0, MAX_ROWS);
  return (
    <div class="gantt" data-testid="gantt">
      <div class="gantt-axis">
        <span>0</span>
        <span>{formatSpan(span / 2)}</span>
        <span>{formatSpan(span)}</span>
      </div>
      {shown.map(({ step, attempt }) => {
        const look = statusLook(attempt.status);
        const ready = attempt.readyAt ?? attempt.startedAt ?? props.now;
        const started = attempt.startedAt;
        const ended = attempt.endedAt ?? props.now;
        return (
          <button
            type="button"
            class={`gantt-row${props.selected === step.stepId ? ' selected' : ''}`}
            key={`${step.stepId}#${attempt.attempt}`}
            onClick={() => props.onSelect(step.stepId)}
            title={`${step.stepId} attempt ${attempt.attempt}: ${look.label}`}
          >
            <span class="gantt-label">
              <span aria-hidden="true">{look.icon}</span> {step.stepId}
              {attempt.attempt > 1 ? ` #${attempt.attempt}` : ''}
            </span>
            <span class="gantt-track">
              {started !== null && started > ready && (
                <span class="gantt-wait" style={{ left: pct(ready), width: width(ready, started) }} />
              )}
              {started !== null && (
                <span
                  class="gantt-bar"
                  style={{ left: pct(started), width: width(started, ended), '--c': look.colour }}
                  data-status={attempt.status}
                />
              )}
            </span>
          </button>
        );
      })}
      {rows.length > MAX_ROWS && <p class="muted">… and {rows.length - MAX_ROWS} more attempts</p>}
    </div>
  );
}

function formatSpan(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}
