import { existsSync, readFileSync } from 'node:fs';
import { isAlive } from './invariants';
import { UNBOUNDED_RUNS } from './workflows';

/**
 * Shell steps that say, in a shared file, when each copy of an attempt ran:
 * `start KEY PID MS` when it begins, `alive KEY PID MS` every 200 ms, `end
 * KEY PID MS` when it finishes (KEY = `tag/step/attempt`). A copy killed by
 * SIGKILL writes no `end`; its last `alive` bounds when it died. From the
 * file the chaos suites check that no two executors ran one attempt, that no
 * attempt of a step overlapped another, and that every step process is gone.
 */
export function markedShell(stepId: string, ticks: number): string {
  // `date +%s%3N`: epoch ms (GNU date), one line per write; `>>` appends atomically for short lines.
  const script =
    'k="$RUN_TAG/$BATON_STEP_ID/$BATON_ATTEMPT"; now() { date +%s%3N; }; ' +
    'echo "start $k $$ $(now)" >> "$MARKS"; i=0; ' +
    `while [ $i -lt ${ticks} ]; do sleep 0.2; echo "alive $k $$ $(now)" >> "$MARKS"; i=$((i+1)); done; ` +
    'echo "end $k $$ $(now)" >> "$MARKS"';
  return `  - id: ${stepId}
    type: shell
    command: [sh, -c, '${script}']
    env:
      MARKS: \${params.marks}
      RUN_TAG: \${params.tag}`;
}

/** A DAG of marked shell steps (`ticks` x 200 ms each) around a noop. */
export function markedWorkflow(id: string, steps: { readonly id: string; readonly ticks: number }[]): string {
  const body = steps
    .map(
      (step, i) =>
        `${markedShell(step.id, step.ticks)}${i === 0 ? '' : `\n    depends_on: [${steps[i - 1].id}]`}`,
    )
    .join('\n');
  return `
id: ${id}
${UNBOUNDED_RUNS}
params:
  marks: { type: string, required: true }
  tag: { type: string, required: true }
steps:
${body}
`;
}

interface Copy {
  readonly pid: number;
  readonly startMs: number;
  lastMs: number;
  ended: boolean;
}

export interface MarkerReport {
  /** `tag/step/attempt` started by more than one process. */
  readonly attemptsRunTwice: string[];
  /** `tag/step`: an attempt began while an earlier attempt's process was still alive. */
  readonly overlappingAttempts: string[];
  /** Step processes still alive. */
  readonly survivors: number[];
  readonly copies: number;
  /** Copies without `end`: killed (with their executor, or stopped by the engine). */
  readonly killed: number;
  /** `tag/step` that ran more than once (re-executions across attempts: the at-least-once window). */
  readonly reExecutedSteps: number;
  /** Steps with two copies that ran to their end: the first one's report was lost with its executor. */
  readonly reRunAfterEnd: number;
}

/** Reads the marks file; `slackMs` absorbs a tick's granularity (a copy may live up to one tick after its last mark). */
export function readMarkers(file: string, slackMs = 250): MarkerReport {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const copies = new Map<string, Map<number, Copy>>();
  for (const line of lines) {
    const [kind, key, pidText, msText] = line.split(' ');
    if (kind === undefined || key === undefined || msText === undefined) continue;
    const pid = Number(pidText);
    const ms = Number(msText);
    const byPid = copies.get(key) ?? new Map<number, Copy>();
    copies.set(key, byPid);
    const copy = byPid.get(pid) ?? { pid, startMs: ms, lastMs: ms, ended: false };
    byPid.set(pid, copy);
    copy.lastMs = Math.max(copy.lastMs, ms);
    if (kind === 'end') copy.ended = true;
  }
  const attemptsRunTwice = [...copies].filter(([, byPid]) => byPid.size > 1).map(([key]) => key);
  const byStep = new Map<string, Copy[]>();
  for (const [key, byPid] of copies) {
    const step = key.slice(0, key.lastIndexOf('/'));
    byStep.set(step, [...(byStep.get(step) ?? []), ...byPid.values()]);
  }
  const overlappingAttempts: string[] = [];
  for (const [step, all] of byStep) {
    const sorted = [...all].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].startMs < sorted[i - 1].lastMs - slackMs) overlappingAttempts.push(step);
    }
  }
  const everyCopy = [...copies.values()].flatMap((byPid) => [...byPid.values()]);
  return {
    attemptsRunTwice,
    overlappingAttempts,
    survivors: everyCopy.map((copy) => copy.pid).filter(isAlive),
    copies: everyCopy.length,
    killed: everyCopy.filter((copy) => !copy.ended).length,
    reExecutedSteps: [...byStep.values()].filter((all) => all.length > 1).length,
    reRunAfterEnd: [...byStep.values()].filter((all) => all.filter((copy) => copy.ended).length > 1).length,
  };
}

/** The assertions every chaos suite makes on the markers. */
export function expectMarkersClean(report: MarkerReport): void {
  expect({
    attemptsRunTwice: report.attemptsRunTwice,
    overlappingAttempts: report.overlappingAttempts,
    survivors: report.survivors,
  }).toEqual({ attemptsRunTwice: [], overlappingAttempts: [], survivors: [] });
}
